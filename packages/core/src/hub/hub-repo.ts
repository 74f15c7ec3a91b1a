/** A hub repository named by the user (`user/name`), checked once, with its web address. */
import { ConfigError } from '../errors/rlaif-error.js';

/** A model or dataset repository on the hub. */
export interface HubRepo {
  readonly type: 'model' | 'dataset';
  /** `namespace/name`. */
  readonly name: string;
}

const REPO_NAME = /^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/;

/** Whether `value` is a repository name the hub accepts (`user/name`). */
export function isHubRepoName(value: string): boolean {
  return REPO_NAME.test(value) && !value.includes('..') && value.length <= 96 * 2 + 1;
}

/** Parses `user/name` (or `datasets/user/name` for a dataset), naming `keyPath` when it is malformed. */
export function parseHubRepo(value: string, type: HubRepo['type'], keyPath: string): HubRepo {
  const name = type === 'dataset' ? value.replace(/^datasets\//, '') : value;
  if (!isHubRepoName(name)) {
    throw new ConfigError(`'${value}' is not a hub repository name`, keyPath, undefined, {
      hint: 'use <user or organisation>/<name>, e.g. alice/qwen-coder-rlaif (letters, digits, -, _ and .)',
    });
  }
  return { type, name };
}

/** The repository's page, e.g. `https://huggingface.co/datasets/alice/runs`. */
export function repoUrl(endpoint: string, repo: HubRepo): string {
  return `${endpoint}/${repo.type === 'dataset' ? 'datasets/' : ''}${repo.name}`;
}
