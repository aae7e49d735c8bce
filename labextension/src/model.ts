/**
 * The TypeScript mirror of reviewer.model: the JSON report every surface shares.
 * `parseReport` checks the shape so a contract drift fails loudly instead of rendering nonsense.
 */

export type Severity = 'error' | 'warning' | 'note';
export type Confidence = 'high' | 'medium' | 'low';
export type Category =
  | 'security'
  | 'correctness'
  | 'maintainability'
  | 'ai-hygiene'
  | 'notebook';
export type Source = 'reviewer' | 'ruff' | 'bandit' | 'llm';

export interface ILocation {
  path: string;
  line: number;
  column: number;
  end_line: number | null;
  end_column: number | null;
  /** 0-based index into the notebook's cells (all cell types); null for plain files. */
  cell: number | null;
  cell_id: string | null;
}

export interface IEdit {
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  content: string;
}

export interface IFix {
  description: string;
  edits: IEdit[];
  applicability: 'safe' | 'unsafe' | 'display';
}

export interface IFinding {
  code: string;
  name: string;
  message: string;
  location: ILocation;
  source: Source;
  category: Category;
  severity: Severity;
  confidence: Confidence;
  cwe: number[];
  url: string | null;
  fix: IFix | null;
  evidence: string | null;
  fingerprint: string;
  also: string[];
  sources: Source[];
  [extra: string]: unknown;
}

export interface IToolError {
  tool: string;
  message: string;
  path: string | null;
  line: number | null;
  cell: number | null;
}

export interface IReport {
  schema_version: number;
  findings: IFinding[];
  errors: IToolError[];
  files: string[];
  suppressed: number;
  baselined: number;
  out_of_scope: number;
  tools: Record<string, string>;
  notes: string[];
  [extra: string]: unknown;
}

export const SEVERITIES: Severity[] = ['error', 'warning', 'note'];
export const CATEGORIES: Category[] = [
  'security',
  'correctness',
  'maintainability',
  'ai-hygiene',
  'notebook'
];

class ContractError extends Error {}

function expect(condition: boolean, where: string): void {
  if (!condition) {
    throw new ContractError(`reviewer report does not match the contract at ${where}`);
  }
}

const isInt = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v);
const isIntOrNull = (v: unknown): boolean => v === null || isInt(v);
const isStr = (v: unknown): boolean => typeof v === 'string';
const isStrOrNull = (v: unknown): boolean => v === null || isStr(v);

function checkFinding(f: any, where: string): IFinding {
  expect(typeof f === 'object' && f !== null, where);
  for (const key of ['code', 'name', 'message', 'fingerprint']) {
    expect(isStr(f[key]), `${where}.${key}`);
  }
  expect((SEVERITIES as string[]).includes(f.severity), `${where}.severity`);
  expect((CATEGORIES as string[]).includes(f.category), `${where}.category`);
  expect(['high', 'medium', 'low'].includes(f.confidence), `${where}.confidence`);
  expect(['reviewer', 'ruff', 'bandit', 'llm'].includes(f.source), `${where}.source`);
  expect(Array.isArray(f.cwe) && f.cwe.every(isInt), `${where}.cwe`);
  expect(Array.isArray(f.also) && f.also.every(isStr), `${where}.also`);
  expect(Array.isArray(f.sources) && f.sources.every(isStr), `${where}.sources`);
  expect(isStrOrNull(f.url) && isStrOrNull(f.evidence), `${where}.url/evidence`);
  const loc = f.location;
  expect(typeof loc === 'object' && loc !== null, `${where}.location`);
  expect(isStr(loc.path) && isInt(loc.line) && isInt(loc.column), `${where}.location`);
  expect(isIntOrNull(loc.end_line) && isIntOrNull(loc.end_column), `${where}.location.end`);
  expect(isIntOrNull(loc.cell) && isStrOrNull(loc.cell_id), `${where}.location.cell`);
  if (f.fix !== null) {
    expect(isStr(f.fix.description) && Array.isArray(f.fix.edits), `${where}.fix`);
    expect(['safe', 'unsafe', 'display'].includes(f.fix.applicability), `${where}.fix.applicability`);
  }
  return f as IFinding;
}

/** Validate and type a JSON report from `reviewer scan --format json` or POST /reviewer/review. */
export function parseReport(data: unknown): IReport {
  const r = data as any;
  expect(typeof r === 'object' && r !== null, 'report');
  expect(r.schema_version === 1, 'schema_version');
  expect(Array.isArray(r.findings), 'findings');
  r.findings.forEach((f: unknown, i: number) => checkFinding(f, `findings[${i}]`));
  expect(Array.isArray(r.errors), 'errors');
  r.errors.forEach((e: any, i: number) => {
    expect(isStr(e.tool) && isStr(e.message), `errors[${i}]`);
    expect(isStrOrNull(e.path) && isIntOrNull(e.line) && isIntOrNull(e.cell), `errors[${i}]`);
  });
  expect(Array.isArray(r.files) && r.files.every(isStr), 'files');
  expect(isInt(r.suppressed) && isInt(r.baselined) && isInt(r.out_of_scope), 'counts');
  expect(Array.isArray(r.notes), 'notes');
  return r as IReport;
}
