/**
 * A RepoFs that answers as another one, with the remote URLs given: a tree read from a git
 * ref (which knows no remotes) gets the URLs of the checkout it was read from, so both sides
 * of a diff decide "this repository" the same way.
 */
import { findFiles, type RepoFs } from './repo-fs.js';

export class WithRemoteUrls implements RepoFs {
  readonly label: string;
  readonly remoteUrls: readonly string[];
  private readonly inner: RepoFs;
  constructor(inner: RepoFs, remoteUrls: readonly string[]) {
    this.inner = inner;
    this.label = inner.label;
    this.remoteUrls = remoteUrls;
  }
  readFile(rel: string): string {
    return this.inner.readFile(rel);
  }
  readBytes(rel: string): Uint8Array {
    return this.inner.readBytes(rel);
  }
  exists(rel: string): boolean {
    return this.inner.exists(rel);
  }
  isDir(rel: string): boolean {
    return this.inner.isDir(rel);
  }
  isFile(rel: string): boolean {
    return this.inner.isFile(rel);
  }
  list(rel: string): string[] {
    return this.inner.list(rel);
  }
  realPath(rel: string): string | undefined {
    return this.inner.realPath ? this.inner.realPath(rel) : this.exists(rel) ? rel : undefined;
  }
  findFiles(under: string, name: string): string[] {
    return findFiles(this.inner, under, name);
  }
}
