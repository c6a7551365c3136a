// Light and dark themes: the system's (prefers-color-scheme) unless the
// toggle chose one, remembered in this browser's localStorage only.

const ORDER = ['system', 'light', 'dark'];

export function initTheme(button) {
  const apply = (theme) => {
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
    button.textContent = `Theme: ${theme}`;
  };
  let theme = ORDER.includes(localStorage.getItem('svgai-theme')) ? localStorage.getItem('svgai-theme') : 'system';
  apply(theme);
  button.addEventListener('click', () => {
    theme = ORDER[(ORDER.indexOf(theme) + 1) % ORDER.length];
    localStorage.setItem('svgai-theme', theme);
    apply(theme);
  });
}
