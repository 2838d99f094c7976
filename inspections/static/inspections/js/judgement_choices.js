// Narrows the judgement inline's area and grade menus to what the inspection's framework grades on its
// start date, as the editor changes them. The rules come from inspections/frameworks.py through
// json_script; the server checks every judgement again, so this only spares the editor a refused save.
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

    function refresh() {
        const data = document.getElementById('judgement-rules');
        const framework = document.getElementById('id_framework');
        if (!data || !framework) {
            return;
        }
        const startDate = document.getElementById('id_start_date');
        const date = isoDate(startDate ? startDate.value : '');
        const rules = JSON.parse(data.textContent).filter(
            (rule) => rule.framework === framework.value && applies(rule, date)
        );
        const areas = new Set(rules.map((rule) => rule.area));
        for (const areaSelect of document.querySelectorAll('select[name^="judgements-"][name$="-area"]')) {
            narrow(areaSelect, areas);
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
            if (name === 'framework' || name === 'start_date' || /^judgements-\d+-area$/.test(name)) {
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
