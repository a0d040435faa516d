/**
 * The file-system operations the writer uses, behind one interface so tests can inject a
 * failure at any step (a simulated crash) and check what is left on disk.
 */
import * as fs from 'node:fs';

export interface WriterFs {
  readFile(p: string): Buffer;
  writeFile(p: string, data: string | Uint8Array, mode: number): void;
  rename(from: string, to: string): void;
  unlink(p: string): void;
  mkdir(p: string): void;
  rmdir(p: string): void;
  /** Removes a directory tree (only the writer's own staging directory). */
  rmTree(p: string): void;
  readdir(p: string): string[];
  lstat(p: string): fs.Stats | undefined;
  /** Flushes a file or directory to stable storage (best effort on directories). */
  fsync(p: string): void;
}

export const nodeFs: WriterFs = {
  readFile: (p) => fs.readFileSync(p),
  writeFile: (p, data, mode) => {
    fs.writeFileSync(p, data, { mode });
    fs.chmodSync(p, mode); // the umask must not change the mode we record
  },
  rename: (from, to) => fs.renameSync(from, to),
  unlink: (p) => fs.unlinkSync(p),
  mkdir: (p) => void fs.mkdirSync(p, { recursive: true }),
  rmdir: (p) => fs.rmdirSync(p),
  rmTree: (p) => fs.rmSync(p, { recursive: true, force: true }),
  readdir: (p) => fs.readdirSync(p).sort(),
  lstat: (p) => {
    try {
      return fs.lstatSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR')
        return undefined;
      throw e;
    }
  },
  fsync: (p) => {
    let fd: number | undefined;
    try {
      fd = fs.openSync(p, 'r');
      fs.fsyncSync(fd);
    } catch (e) {
      // Some platforms cannot fsync a directory (EISDIR/EPERM/EINVAL): durability is best effort there.
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw e;
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  },
};
