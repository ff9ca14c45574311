import { createCipheriv, createDecipheriv, randomBytes, scrypt } from "node:crypto";
import { open, readFile, rename, unlink } from "node:fs/promises";
import { promisify } from "node:util";

/**
 * The backup file: a first line that says what it is, a JSON line with how it is sealed, then
 * the database dump (db's `dumpDatabase`, gzip). A backup holds the node's private keys, so it is
 * encrypted with a passphrase by default: AES-256-GCM under a key derived with scrypt, the two
 * header lines authenticated with it (a changed byte anywhere makes the restore refuse).
 *
 *   LEITPLANKEN-BACKUP 1
 *   {"encrypted":true,"cipher":"aes-256-gcm","kdf":"scrypt","N":32768,"r":8,"p":1,"salt":"…","iv":"…"}
 *   <ciphertext><16-byte tag>
 */
const magic = "LEITPLANKEN-BACKUP 1";
const scryptParameters = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const deriveKey = promisify(scrypt) as (passphrase: string, salt: Buffer, length: number, options: typeof scryptParameters) => Promise<Buffer>;

/** Shorter passphrases are refused: the file may travel to places an attacker can reach. */
export const minimumPassphraseLength = 12;

/** A backup file a restore cannot open (not a backup, no or a wrong passphrase, changed). */
export class BackupFileError extends Error {
  override name = "BackupFileError";
}

interface Seal {
  encrypted: boolean;
  cipher?: "aes-256-gcm";
  kdf?: "scrypt";
  N?: number;
  r?: number;
  p?: number;
  salt?: string;
  iv?: string;
}

/** The file's bytes for a dump: encrypted with `passphrase`, or in plain form when it is null. */
export async function sealBackup(dump: Buffer, passphrase: string | null): Promise<Buffer> {
  if (passphrase === null) return Buffer.concat([Buffer.from(`${magic}\n${JSON.stringify({ encrypted: false } satisfies Seal)}\n`), dump]);
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const seal: Seal = {
    encrypted: true,
    cipher: "aes-256-gcm",
    kdf: "scrypt",
    N: scryptParameters.N,
    r: scryptParameters.r,
    p: scryptParameters.p,
    salt: salt.toString("base64"),
    iv: iv.toString("base64"),
  };
  const header = Buffer.from(`${magic}\n${JSON.stringify(seal)}\n`);
  const cipher = createCipheriv("aes-256-gcm", await deriveKey(passphrase, salt, 32, scryptParameters), iv);
  cipher.setAAD(header);
  return Buffer.concat([header, cipher.update(dump), cipher.final(), cipher.getAuthTag()]);
}

/** Whether a backup file is encrypted (without a passphrase: to tell the user one is needed). */
export function isEncrypted(file: Buffer): boolean {
  return parseHeader(file).seal.encrypted;
}

/** The dump inside a backup file; throws BackupFileError with what to do when it cannot be opened. */
export async function openBackup(file: Buffer, passphrase: string | null): Promise<Buffer> {
  const { seal, header, body } = parseHeader(file);
  if (!seal.encrypted) return body;
  if (passphrase === null) {
    throw new BackupFileError("This backup is encrypted: give its passphrase in LEITPLANKEN_BACKUP_PASSPHRASE or with --passphrase-file.");
  }
  if (seal.cipher !== "aes-256-gcm" || seal.kdf !== "scrypt" || !seal.salt || !seal.iv || body.length < 16) {
    throw new BackupFileError("This backup is sealed in a way this version does not know.");
  }
  const parameters = { N: seal.N ?? scryptParameters.N, r: seal.r ?? scryptParameters.r, p: seal.p ?? scryptParameters.p, maxmem: scryptParameters.maxmem };
  const decipher = createDecipheriv(
    "aes-256-gcm",
    await deriveKey(passphrase, Buffer.from(seal.salt, "base64"), 32, parameters),
    Buffer.from(seal.iv, "base64"),
  );
  decipher.setAAD(header);
  decipher.setAuthTag(body.subarray(body.length - 16));
  try {
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]);
  } catch {
    throw new BackupFileError("The passphrase is wrong, or the backup file was changed: it does not decrypt.");
  }
}

function parseHeader(file: Buffer): { seal: Seal; header: Buffer; body: Buffer } {
  const first = file.indexOf(0x0a);
  const second = first < 0 ? -1 : file.indexOf(0x0a, first + 1);
  if (first < 0 || second < 0 || file.subarray(0, first).toString() !== magic) {
    throw new BackupFileError("This is not a Leitplanken backup file (it does not start with LEITPLANKEN-BACKUP).");
  }
  let seal: Seal;
  try {
    seal = JSON.parse(file.subarray(first + 1, second).toString()) as Seal;
  } catch {
    throw new BackupFileError("This backup file is damaged: its header does not read.");
  }
  return { seal, header: file.subarray(0, second + 1), body: file.subarray(second + 1) };
}

/** Writes the file readable only by its owner, whole or not at all (a crash leaves no half backup). */
export async function writeBackupFile(path: string, bytes: Buffer): Promise<void> {
  const partial = `${path}.partial-${process.pid}`;
  let handle;
  try {
    handle = await open(partial, "wx", 0o600);
  } catch (error) {
    throw new BackupFileError(`Cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
    await rename(partial, path);
  } catch (error) {
    await handle.close().catch(() => {});
    await unlink(partial).catch(() => {});
    throw error;
  }
}

/** The passphrase from --passphrase-file (first line) or LEITPLANKEN_BACKUP_PASSPHRASE; null when neither is given. */
export async function readPassphrase(passphraseFile: string | undefined, environment: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  let passphrase: string | undefined;
  if (passphraseFile !== undefined) {
    try {
      passphrase = (await readFile(passphraseFile, "utf8")).split(/\r?\n/)[0];
    } catch (error) {
      throw new BackupFileError(`Cannot read the passphrase file ${passphraseFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  } else {
    passphrase = environment.LEITPLANKEN_BACKUP_PASSPHRASE;
  }
  if (passphrase === undefined || passphrase === "") return null;
  return passphrase;
}
