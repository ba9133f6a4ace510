import type { FromSchema } from 'json-schema-to-ts';
import type { SchemaName } from '../schema/validator.ts';
import type { SchemaLiterals, SchemaReferences } from './schema-literals.ts';

// The types of the bodies the suites read, derived from schemas/ by json-schema-to-ts: a field
// added to or dropped from a schema changes the type, and code reading a field the schema does
// not have stops compiling. Types only: validation stays AJV's (lib/schema/validator.ts).

/** The body a schema of lib/schema/validator.ts describes. */
type BodyOf<N extends SchemaName> = FromSchema<SchemaLiterals[N], { references: SchemaReferences }>;

/** The keys of any member of a union (`keyof` of a union has only the keys all members share). */
type KeysOfAny<U> = U extends unknown ? keyof U : never;

/** The type of `K` in the members of a union that have it. */
type ValueIn<U, K extends PropertyKey> = U extends unknown ? (K extends keyof U ? U[K] : never) : never;

/** The keys every member of a union has (`& string`: a plain key set, so that the mapped type below
 * makes one object, not one per member). */
type SharedKeys<U> = keyof U & string;

/**
 * One type for the members of a union of versions: the keys every version has keep their type,
 * a key only some have is optional (`tag`, from 2.70).
 */
type AnyVersion<U extends object> = {
  readonly [K in SharedKeys<U>]: ValueIn<U, K>;
} & {
  readonly [K in Exclude<KeysOfAny<U>, SharedKeys<U>>]?: ValueIn<U, K>;
};

export type ShowBodyV2_1 = BodyOf<'os-interface/show-v2.1'>;
export type ShowBodyV2_70 = BodyOf<'os-interface/show-v2.70'>;

/** One element of an os-interface answer, at any microversion (`tag` only at 2.70 and later). */
export type Attachment = AnyVersion<
  BodyOf<'os-interface/attachment-v2.1'> | BodyOf<'os-interface/attachment-v2.70'>
>;

/** One of an attachment's fixed IPs. */
export type FixedIp = Attachment['fixed_ips'][number];

/** The list answer at any microversion. */
export interface ListBody {
  readonly interfaceAttachments: readonly Attachment[];
}

/** The show (and create) answer at any microversion. */
export interface ShowBody {
  readonly interfaceAttachment: Attachment;
}

/** A Nova fault: one key, the fault's name, holding its code and message. */
export type FaultBody = BodyOf<'common/fault'>;

/** keystonemiddleware's 401. */
export type UnauthorizedBody = BodyOf<'common/keystone-unauthorized'>;

/** GET / of the compute endpoint: the API versions. */
export type VersionsDocument = BodyOf<'common/versions'>;

/** GET /v2.1/: the v2.1 version document. */
export type VersionDocument = BodyOf<'common/version'>;
