/** Picks the teacher when the config names none: the first provider with an API key, else offline. */

/** The chosen teacher package and a sentence saying why, for the run log. */
export interface DefaultTeacherChoice {
  readonly ref: string;
  readonly reason: string;
}

const PROVIDERS: readonly { readonly env: readonly string[]; readonly ref: string }[] = [
  { env: ['ANTHROPIC_API_KEY'], ref: '@rlaif/teacher-anthropic' },
  { env: ['OPENAI_API_KEY'], ref: '@rlaif/teacher-openai' },
  { env: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'], ref: '@rlaif/teacher-gemini' },
];

/** The teacher used when `teacher` is not set, chosen from the API keys present in `env`. */
export function defaultTeacher(env: Readonly<Record<string, string | undefined>>): DefaultTeacherChoice {
  for (const provider of PROVIDERS) {
    const found = provider.env.find((name) => (env[name] ?? '').trim() !== '');
    if (found !== undefined) {
      return { ref: provider.ref, reason: `no teacher set in the config and ${found} is set` };
    }
  }
  const names = PROVIDERS.flatMap((p) => p.env).join(', ');
  return {
    ref: '@rlaif/teacher-exec',
    reason: `no teacher set in the config and none of ${names} is set, so the offline exec teacher runs the tasks' tests`,
  };
}
