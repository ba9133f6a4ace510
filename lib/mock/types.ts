// Shared shapes of the mock cloud: its public options and the records each service keeps.

import type { Release } from './releases.ts';

export type { Release } from './releases.ts';

export interface MockDelays {
  build: number;
  detach: number;
  portActive: number;
  taskState: number;
}

export interface MockOptions {
  port?: number;
  host?: string;
  /** which real Nova to imitate (default zed); see releases.ts */
  release?: Release;
  delays?: Partial<MockDelays>;
  tokenTtlSeconds?: number;
}

export interface MockUser {
  username: string;
  password: string;
  projectName: string;
  projectId: string;
  userDomainName: string;
  projectDomainName: string;
  roles: string[];
}

export interface Project {
  id: string;
  name: string;
}

export interface User {
  id: string;
  name: string;
  password: string;
  /** role names per project id */
  roles: Map<string, string[]>;
}

export interface Token {
  id: string;
  userId: string;
  projectId: string | null;
  roles: string[];
  methods: string[];
  issuedAt: Date;
  expiresAt: Date;
  auditId: string;
  applicationCredentialId?: string;
}

export interface Network {
  id: string;
  name: string;
  projectId: string;
  shared: boolean;
  external: boolean;
  subnets: string[];
  createdAt: string;
  updatedAt: string;
  revision: number;
  description: string;
}

export interface Subnet {
  id: string;
  name: string;
  networkId: string;
  projectId: string;
  cidr: string;
  gatewayIp: string;
  poolStart: string;
  poolEnd: string;
  createdAt: string;
  updatedAt: string;
}

export interface SecurityGroupRule {
  id: string;
  direction: 'ingress' | 'egress';
  ethertype: 'IPv4' | 'IPv6';
  /** the group itself for the default group's ingress rules; null for egress */
  remoteGroupId: string | null;
  createdAt: string;
}

export interface SecurityGroup {
  id: string;
  name: string;
  description: string;
  projectId: string;
  rules: SecurityGroupRule[];
  createdAt: string;
  /** true for the `default` group Neutron makes for each project */
  isDefault: boolean;
}

interface FixedIp {
  subnet_id: string;
  ip_address: string;
}

export interface Port {
  id: string;
  name: string;
  description: string;
  networkId: string;
  projectId: string;
  mac: string;
  fixedIps: FixedIp[];
  deviceId: string;
  deviceOwner: string;
  status: 'ACTIVE' | 'DOWN' | 'BUILD' | 'ERROR';
  hostId: string;
  vifType: string;
  createdAt: string;
  updatedAt: string;
  revision: number;
  /** true when Nova created the port for a boot or a net_id attach, so Nova deletes it on detach */
  createdByNova: boolean;
}

interface InstanceActionEvent {
  event: string;
  startTime: string;
  finishTime: string | null;
  result: string | null;
  traceback: string | null;
  details: string | null;
}

export interface InstanceAction {
  action: string;
  requestId: string;
  userId: string;
  projectId: string;
  startTime: string;
  updatedAt: string;
  message: string | null;
  events: InstanceActionEvent[];
}

export interface Server {
  id: string;
  name: string;
  projectId: string;
  userId: string;
  imageId: string;
  flavorId: string;
  vmState: string;
  taskState: string | null;
  powerState: number;
  createdAt: string;
  updatedAt: string;
  launchedAt: string | null;
  locked: boolean;
  lockedBy: 'owner' | 'admin' | null;
  lockedReason: string | null;
  /** port id -> tag (null when none) for the interfaces Nova knows about */
  vifTags: Map<string, string | null>;
  actions: InstanceAction[];
  deleted: boolean;
  hostId: string;
  description: string | null;
  metadata: Record<string, string>;
  keyName: string | null;
}

export interface Flavor {
  id: string;
  name: string;
  ram: number;
  vcpus: number;
  disk: number;
}

export interface Image {
  id: string;
  name: string;
  ownerId: string;
  size: number;
  createdAt: string;
}
