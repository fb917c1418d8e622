// Facts about Element Web's config.json, from element-web's SdkConfig, SnakedObject, app.tsx and
// i18n code: snake_case keys win over camelCase ones, and which keys are gone.

/** Old camelCase key -> the snake_case key Element reads first. */
export const CAMEL_TO_SNAKE: Record<string, string> = {
  settingDefaults: 'setting_defaults',
  roomDirectory: 'room_directory',
  showLabsSettings: 'show_labs_settings',
  defaultCountryCode: 'default_country_code',
  permalinkPrefix: 'permalink_prefix',
  desktopBuilds: 'desktop_builds',
  mobileBuilds: 'mobile_builds',
  mobileGuideToast: 'mobile_guide_toast',
  embeddedPages: 'embedded_pages',
  audioStreamUrl: 'audio_stream_url',
  reportEvent: 'report_event',
};

/** Nested camelCase keys, as [parent, camel, snake]. */
export const NESTED_CAMEL: [string, string, string][] = [
  ['jitsi', 'preferredDomain', 'preferred_domain'],
  ['branding', 'welcomeBackgroundUrl', 'welcome_background_url'],
  ['branding', 'authHeaderLogoUrl', 'auth_header_logo_url'],
  ['branding', 'authFooterLinks', 'auth_footer_links'],
  ['voip', 'obeyAssertedIdentity', 'obey_asserted_identity'],
  ['posthog', 'projectApiKey', 'project_api_key'],
  ['posthog', 'apiHost', 'api_host'],
];

/**
 * Snake keys Element always has from its built-in defaults (deep-merged under config.json since 2023),
 * so the camelCase spelling is never read even when the snake key is absent from the file.
 */
export const SNAKE_WITH_DEFAULT = new Set([
  'show_labs_settings',
  'desktop_builds',
  'mobile_builds',
  'jitsi.preferred_domain',
  'branding.welcome_background_url',
  'branding.auth_header_logo_url',
]);

/** Keys Element no longer reads at all. */
export const REMOVED_KEYS: Record<string, string> = {
  piwik: 'analytics moved to posthog (with privacy_policy_url)',
  welcomeUserId: 'the welcome bot feature was removed',
  welcome_user_id: 'the welcome bot feature was removed',
  integrations_jitsi_widget_url: 'Element has a built-in Jitsi wrapper',
  cross_origin_renderer_url: 'removed in 2020',
  hosting_signup_link: 'removed in 2023',
  sso_immediate_redirect: 'use sso_redirect_options.immediate',
};

/** Language keys Element ships (languages.json): lower case, hyphenated; xx_XX collapses to xx. */
export const LANGUAGES = [
  'cs',
  'cy',
  'da',
  'de',
  'el',
  'en',
  'eo',
  'es',
  'et',
  'fa',
  'fi',
  'fr',
  'gl',
  'he',
  'hr',
  'hu',
  'hy',
  'id',
  'is',
  'it',
  'ja',
  'ka',
  'ko',
  'lo',
  'lt',
  'lv',
  'mg',
  'nb-no',
  'nl',
  'pl',
  'pt',
  'pt-br',
  'ru',
  'sk',
  'sq',
  'sv',
  'tr',
  'uk',
  'vi',
  'zh-hans',
  'zh-hant',
];

/** What a file-name style tag (zh_Hans, de_DE, pt_BR) should be written as. */
export function languageKey(tag: string): string {
  const lower = tag.toLowerCase().replace(/_/g, '-');
  const [a, b] = lower.split('-');
  return b !== undefined && a === b ? a : lower;
}
