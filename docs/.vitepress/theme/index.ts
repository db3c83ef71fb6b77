// The default theme, with the site's few style rules (style.css).
import DefaultTheme from 'vitepress/theme';
import './style.css';

export default DefaultTheme;
