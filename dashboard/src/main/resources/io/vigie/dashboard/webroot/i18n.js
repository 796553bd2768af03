// Every string a person reads goes through t(key). Each language is a JSON file under i18n/ (what
// translation tools read and write), listed here with its own name.
import { reactive } from 'vue';

export const languages = { en: 'English', fr: 'Français' };
const STORE = 'vigie.lang';
const dictionaries = reactive({});

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

async function load(lang) {
  if (dictionaries[lang]) return;
  const response = await fetch(`/app/i18n/${lang}.json`);
  dictionaries[lang] = response.ok ? await response.json() : {};
}

/** Loads English (the fallback) and the preferred language; the app mounts after. */
export function loadLanguages() {
  return Promise.all([load('en'), load(i18n.lang)]);
}

/** The text of {@code key} in the current language (English when missing), with {name} placeholders filled. */
export function t(key, params) {
  return tOr(key, key, params);
}

/** As {@link t}, but {@code fallback} when no language has {@code key} (a kind or name the page does not know). */
export function tOr(key, fallback, params) {
  const text = dictionaries[i18n.lang]?.[key] ?? dictionaries.en?.[key];
  if (text === undefined) return fallback;
  return params ? text.replace(/\{(\w+)\}/g, (_, name) => params[name] ?? '') : text;
}

export async function setLanguage(lang) {
  if (!languages[lang]) return;
  await load(lang);
  i18n.lang = lang;
  localStorage.setItem(STORE, lang);
  document.documentElement.lang = lang;
}
