/**
 * Calls to the authenticated server extension. Keys and LLM endpoints stay on the server: the
 * browser only learns whether an LLM is available.
 */

import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { IReport, parseReport } from './model';

export interface IRuleDoc {
  code: string;
  name: string;
  category: string;
  severity: string;
  summary: string;
  docs: string;
}

export interface IServerConfig {
  version: string;
  llm: boolean;
}

export interface IReviewRequest {
  path: string;
  notebook?: unknown;
  content?: string;
  llm?: boolean;
}

async function call(path: string, init: RequestInit = {}): Promise<any> {
  const settings = ServerConnection.makeSettings();
  const url = URLExt.join(settings.baseUrl, 'reviewer', path);
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    throw new Error(`cannot reach the reviewer server extension: ${error}`);
  }
  const text = await response.text();
  let data: any = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    throw new Error(`the server answered ${response.status} with something that is not JSON`);
  }
  if (!response.ok) {
    const reason = data?.message ?? response.statusText;
    throw new Error(`review failed (${response.status}): ${reason}`);
  }
  return data;
}

export async function requestReview(body: IReviewRequest): Promise<IReport> {
  return parseReport(await call('review', { method: 'POST', body: JSON.stringify(body) }));
}

export async function fetchRules(): Promise<Map<string, IRuleDoc>> {
  const data = await call('rules');
  return new Map((data.rules as IRuleDoc[]).map(rule => [rule.code, rule]));
}

export async function fetchConfig(): Promise<IServerConfig> {
  return (await call('config')) as IServerConfig;
}

/** Markdown documentation of one of our rules, or of a bandit or ruff code (from the tool itself). */
export async function fetchExplain(code: string): Promise<string> {
  const data = await call(`explain?code=${encodeURIComponent(code)}`);
  return String(data.markdown ?? '');
}
