// Every string a person reads goes through t(key). Languages: one file each under i18n/, listed here.
import { reactive } from 'vue';
import en from './i18n/en.js';
import fr from './i18n/fr.js';

export const languages = { en, fr };
const STORE = 'vigie.lang';

function preferred() {
  const stored = localStorage.getItem(STORE);
  if (stored && languages[stored]) return stored;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (languages[base]) return base;
  }
  return 'en';
}

export const i18n = reactive({ lang: preferred() });
document.documentElement.lang = i18n.lang;

/** The text of {@code key} in the current language (English when missing), with {name} placeholders filled. */
export function t(key, params) {
  const text = languages[i18n.lang][key] ?? en[key] ?? key;
  return params ? text.replace(/\{(\w+)\}/g, (_, name) => params[name] ?? '') : text;
}

export function setLanguage(lang) {
  if (!languages[lang]) return;
  i18n.lang = lang;
  localStorage.setItem(STORE, lang);
  document.documentElement.lang = lang;
}
