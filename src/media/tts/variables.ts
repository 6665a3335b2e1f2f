// `${name}` substitution in prompt texts (the manual's variables, e.g. ${WaitNo}), done before
// rendering so each distinct text is rendered and cached once.

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_.]*)\}/g;

export interface Substitution {
  text: string;
  /** Names used in the text that the map did not have (replaced by nothing). */
  missing: string[];
}

export function substituteVariables(text: string, variables: Readonly<Record<string, string | number>> = {}): Substitution {
  const missing: string[] = [];
  const out = text.replace(VARIABLE, (_, name: string) => {
    const v = Object.prototype.hasOwnProperty.call(variables, name) ? variables[name] : undefined;
    if (v === undefined || v === null) {
      missing.push(name);
      return '';
    }
    return String(v);
  });
  return { text: out, missing };
}
