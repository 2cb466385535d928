import { describe, expect, it } from 'vitest';

import { checkDeadline, makeTimetable, SequencerTooSlowError } from './timetable.js';

describe('timetable', () => {
  it('works back from the last L1 block of the slot', () => {
    const t = makeTimetable({ slotDuration: 36, l1BlockTime: 12 });
    expect(t.PUBLISHING_BLOCK).toBe(24);
    expect(t.CREATING_BLOCK).toBe(20);
    expect(t.INITIALIZING_PROPOSAL).toBe(18);
    const local = makeTimetable({ slotDuration: 8, l1BlockTime: 2 });
    expect(local.PUBLISHING_BLOCK).toBe(6);
    expect(local.CREATING_BLOCK).toBe(4);
    expect(local.INITIALIZING_PROPOSAL).toBe(3);
  });

  it('refuses a state past its deadline, naming it', () => {
    const t = makeTimetable({ slotDuration: 8, l1BlockTime: 2 });
    expect(() => checkDeadline(t, 'CREATING_BLOCK', 3.9)).not.toThrow();
    expect(() => checkDeadline(t, 'CREATING_BLOCK', 4.5)).toThrow(SequencerTooSlowError);
    expect(() => checkDeadline(t, 'CREATING_BLOCK', 4.5)).toThrow(/too late to enter CREATING_BLOCK/);
  });
});
