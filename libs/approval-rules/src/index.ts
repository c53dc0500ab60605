export * from './approval-rules.types';
export * from './approval-rules.conditions';
export * from './approval-rules.table';
export * from './authorize';
export * from './render-rules';
export * from './admin-policy';
