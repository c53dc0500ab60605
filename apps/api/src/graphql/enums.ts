import { registerEnumType } from '@nestjs/graphql';
import { ROLES } from '@app/approval-rules';
import { TASK_EVENT_TYPES, TASK_STATES } from '@app/lifecycle';

function enumOf<T extends string>(values: readonly T[]): Record<T, T> {
  return Object.fromEntries(values.map((value) => [value, value])) as Record<T, T>;
}

export const TaskStateEnum = enumOf(TASK_STATES);
export const TaskEventTypeEnum = enumOf(TASK_EVENT_TYPES);
export const RoleEnum = enumOf(ROLES);
export const PlanFormatEnum = enumOf(['PLAN_TEXT', 'DOCX', 'XLSX'] as const);

registerEnumType(TaskStateEnum, { name: 'TaskState', description: 'Lifecycle state of a task' });
registerEnumType(TaskEventTypeEnum, { name: 'TaskEventType', description: 'An event of the task lifecycle' });
registerEnumType(RoleEnum, { name: 'Role' });
registerEnumType(PlanFormatEnum, { name: 'PlanFormat' });
