import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { TaskChange, TaskChangeFeed } from '../repositories/task-change-feed';
import { topicOf } from './live-updates.service';

interface PubSub {
  publish(event: { topic: string; payload: TaskChange }, callback: (error?: unknown) => void): void;
}

// Committed transitions, heard on this instance's LISTEN connection, published into Mercurius'
// pubsub (one topic per plan) for the subscriptions of this instance.
export class LiveUpdatesRelay implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    private readonly feed: TaskChangeFeed,
    private readonly pubsub: () => PubSub,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const pubsub = this.pubsub();
    await this.feed.start((change) => pubsub.publish({ topic: topicOf(change), payload: change }, () => undefined));
  }

  async onModuleDestroy(): Promise<void> {
    await this.feed.close();
  }
}
