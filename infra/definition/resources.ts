/** The tables, queues and topic, with the environment variables through which functions find them (part of infra/definition.ts). */
import { queueEnvVars, tableEnvVars, topicEnvVars } from '../definition-names.ts';

export type TableName = 'referrals' | 'directory';
export type QueueName = 'referrals' | 'escalationTimers';
export type TopicName = 'inboundSms';
export interface TableDefinition {
  /** Environment variable through which functions learn the physical table name. */
  envVar: string;
  partitionKey: string;
  sortKey: string;
  indexes: { name: string; partitionKey: string; sortKey: string }[];
  /** Epoch-seconds attribute by which DynamoDB's TTL deletes expired items (claims, replay guards). */
  timeToLiveAttribute?: string;
}

export interface QueueDefinition {
  envVar: string;
  visibilityTimeoutSeconds: number;
  /** Receives before SQS moves a message to the queue's dead-letter queue. */
  maxReceiveCount: number;
  retentionDays: number;
}

export interface TopicDefinition {
  envVar: string;
  /** AWS End User Messaging SMS publishes two-way SMS replies to it (topic and key policies allow it). */
  receivesSmsReplies?: boolean;
}

export const tables: Record<TableName, TableDefinition> = {
  referrals: {
    envVar: tableEnvVars.referrals,
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [
      { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
      // Sparse: only referrals whose outbox holds effects, by when it last did, for the reconciler.
      { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
      // Referrals of a team by when they were received: response-time statistics, one Query per team.
      { name: 'byTeam', partitionKey: 'teamPk', sortKey: 'teamSk' },
      // Sparse: referrals not yet closed, by team (or awaiting one): the managers' live board.
      { name: 'openByTeam', partitionKey: 'openPk', sortKey: 'openSk' },
      // Sparse: when each referral next needs attention (a timer, a clock warning, routing), for the reconciler.
      { name: 'nextAction', partitionKey: 'nextPk', sortKey: 'nextSk' },
    ],
    timeToLiveAttribute: 'expiresAt',
  },
  directory: {
    envVar: tableEnvVars.directory,
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [{ name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
  },
};

export const queues: Record<QueueName, QueueDefinition> = {
  // Visibility timeout is six times the consumer's timeout, as AWS recommends for event sources.
  referrals: { envVar: queueEnvVars.referrals, visibilityTimeoutSeconds: 180, maxReceiveCount: 5, retentionDays: 14 },
  escalationTimers: {
    envVar: queueEnvVars.escalationTimers,
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    retentionDays: 14,
  },
};

export const topics: Record<TopicName, TopicDefinition> = {
  inboundSms: { envVar: topicEnvVars.inboundSms, receivesSmsReplies: true },
};
