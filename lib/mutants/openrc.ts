// Reads the variables of an openrc file (`export OS_X=value` lines) without running a shell: an
// openrc may prompt for the password (`read -sr OS_PASSWORD_INPUT`), which a runner cannot answer,
// so only literal assignments are taken and OS_PASSWORD may come from the environment instead.

const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

function unquote(raw: string): string {
  const value = raw.trim();
  if (value.startsWith("'"))
    return value.slice(1, value.indexOf("'", 1) > 0 ? value.indexOf("'", 1) : undefined);
  if (value.startsWith('"')) {
    const end = value.indexOf('"', 1);
    return value.slice(1, end > 0 ? end : undefined).replace(/\\(["\\$`])/g, '$1');
  }
  return value.replace(/\s+#.*$/, '');
}

/** OS_* and CONFORMANCE_* assignments of an openrc; `$VAR` references are not expanded (skipped). */
export function parseOpenrc(text: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = ASSIGNMENT.exec(line);
    if (m === null) continue;
    const name = m[1] ?? '';
    if (!name.startsWith('OS_') && !name.startsWith('CONFORMANCE_')) continue;
    const value = unquote(m[2] ?? '');
    if (value.includes('$')) continue;
    out[name] = value;
  }
  // The password prompt of Horizon's openrc leaves OS_PASSWORD unset: take it from the environment.
  if (out['OS_PASSWORD'] === undefined && env['OS_PASSWORD'] !== undefined)
    out['OS_PASSWORD'] = env['OS_PASSWORD'];
  return out;
}
