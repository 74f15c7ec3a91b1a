/**
 * Reads the sizes of an ELF64 little-endian binary's start-up and shut-down sections from its section
 * headers: what the dynamic loader and libc run before `main` and at exit. The file was written by a
 * sandboxed compiler from untrusted code, so every offset is bounds-checked.
 */
import { readFile } from 'node:fs/promises';

const SHT_INIT_ARRAY = 14;
const SHT_FINI_ARRAY = 15;
const SHT_PREINIT_ARRAY = 16;
const BY_TYPE: Record<number, string> = { [SHT_INIT_ARRAY]: 'init_array', [SHT_FINI_ARRAY]: 'fini_array', [SHT_PREINIT_ARRAY]: 'preinit_array' };
const BY_NAME = new Set(['.ctors', '.dtors', '.init', '.fini', '.init_array', '.fini_array', '.preinit_array']);

/**
 * Total bytes per kind of start-up section (by type: init_array, fini_array, preinit_array; by name:
 * .ctors, .dtors, .init, .fini), or undefined when the file is not a well-formed ELF64 LE binary.
 */
export async function initSectionSizes(path: string): Promise<Map<string, number> | undefined> {
  const file = await readFile(path).catch(() => undefined);
  if (file === undefined || file.length < 64 || file.readUInt32BE(0) !== 0x7f454c46 || file[4] !== 2 || file[5] !== 1) return undefined;
  const sectionsAt = Number(file.readBigUInt64LE(0x28));
  const entrySize = file.readUInt16LE(0x3a);
  const count = file.readUInt16LE(0x3c);
  const namesIndex = file.readUInt16LE(0x3e);
  if (entrySize < 64 || namesIndex >= count || sectionsAt + count * entrySize > file.length) return undefined;
  const header = (i: number) => {
    const at = sectionsAt + i * entrySize;
    return { name: file.readUInt32LE(at), type: file.readUInt32LE(at + 4), offset: Number(file.readBigUInt64LE(at + 0x18)), size: Number(file.readBigUInt64LE(at + 0x20)) };
  };
  const names = header(namesIndex);
  if (names.offset + names.size > file.length) return undefined;
  const nameOf = (offset: number) => {
    if (offset >= names.size) return '';
    const end = file.indexOf(0, names.offset + offset);
    return file.toString('latin1', names.offset + offset, end < 0 || end > names.offset + names.size ? names.offset + names.size : end);
  };
  const sizes = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const section = header(i);
    const name = nameOf(section.name);
    const kind = BY_TYPE[section.type] ?? (BY_NAME.has(name) ? name : undefined);
    if (kind !== undefined) sizes.set(kind, (sizes.get(kind) ?? 0) + section.size);
  }
  return sizes;
}
