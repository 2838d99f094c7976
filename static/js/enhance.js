// Marks the page as having JavaScript before it is drawn, so that CSS can hide the "needs JavaScript"
// notes beside charts. Loaded as a file (no inline scripts: the site is meant to run under a strict CSP).
document.documentElement.className += " app-js";
