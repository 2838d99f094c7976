// Narrows the judgement inline's area and grade menus to what the inspection's framework grades on its
// start date, as the editor changes them: an area the framework grades on other dates or in other kinds of
// event stays in the menu, disabled and named with the reason. The rules and their words come from
// inspections/frameworks.py through json_script; the server checks every judgement again, so this only
// spares the editor a refused save.
'use strict';
{
    function isoDate(text) {
        const value = (text || '').trim();
        let match = value.match(/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/);
        if (match) {
            return `${match[3]}-${match[2].padStart(2, '0')}-${match[1].padStart(2, '0')}`;
        }
        match = value.match(/^(\d{4})-(\d{2})-(\d{2})$/);
        return match ? value : null;
    }

    function applies(rule, date) {
        if (!date) {
            return true;
        }
        if (rule.judged_from && date < rule.judged_from) {
            return false;
        }
        return !(rule.judged_before && date >= rule.judged_before);
    }

    function narrow(select, allowed) {
        for (const option of select.options) {
            const keep = !option.value || option.value === select.value || allowed.has(option.value);
            option.hidden = !keep;
            option.disabled = !keep;
        }
    }

    // Each area option: hidden where the framework never grades it, disabled and named with the reason where
    // it does but not on this date or in this kind of event, offered under its own name otherwise.
    function offerAreas(select, problems, labels) {
        for (const option of select.options) {
            if (!option.value) {
                continue;
            }
            const problem = problems[option.value];
            const chosen = option.value === select.value;
            option.hidden = problem === undefined && !chosen;
            option.disabled = problem !== null && !chosen;
            option.text = problem && !chosen ? problem : labels[option.value] || option.value;
            option.title = problem || '';
        }
    }

    function refresh() {
        const data = document.getElementById('judgement-rules');
        const framework = document.getElementById('id_framework');
        if (!data || !framework) {
            return;
        }
        const startDate = document.getElementById('id_start_date');
        const eventType = document.getElementById('id_event_type');
        const date = isoDate(startDate ? startDate.value : '');
        const browserRules = JSON.parse(data.textContent);
        const eventProblems = browserRules.event_problems[eventType ? eventType.value : ''] || {};
        const frameworkRules = browserRules.rules.filter((rule) => rule.framework === framework.value);
        // As frameworks.areas_offered: {area: why not, or null where it can be judged}.
        const problems = {};
        for (const rule of frameworkRules) {
            let problem = eventProblems[rule.area] || null;
            if (!problem && !applies(rule, date)) {
                problem = rule.judged_from && date < rule.judged_from ? rule.too_early : rule.too_late;
            }
            problems[rule.area] = problem;
        }
        const rules = frameworkRules.filter((rule) => problems[rule.area] === null);
        for (const areaSelect of document.querySelectorAll('select[name^="judgements-"][name$="-area"]')) {
            offerAreas(areaSelect, problems, browserRules.labels);
            const gradeSelect = document.getElementById(areaSelect.id.replace(/-area$/, '-grade'));
            if (gradeSelect) {
                const rule = rules.find((candidate) => candidate.area === areaSelect.value);
                const grades = new Set(rule ? rule.grades : rules.flatMap((candidate) => candidate.grades));
                narrow(gradeSelect, grades);
            }
        }
    }

    document.addEventListener('DOMContentLoaded', () => {
        refresh();
        document.addEventListener('change', (event) => {
            const name = event.target.name || '';
            if (['framework', 'start_date', 'event_type'].includes(name) || /^judgements-\d+-area$/.test(name)) {
                refresh();
            }
        });
        document.addEventListener('input', (event) => {
            if (event.target.name === 'start_date') {
                refresh();
            }
        });
        document.addEventListener('formset:added', refresh);
    });
}
