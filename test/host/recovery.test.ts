// What a restarted host starts again: work the committed history scheduled
// whose result is neither in that history nor pending.
import { describe, expect, it } from 'vitest';
import { requestEventFields } from '../../src/local/host/orchestration/entity-request';
import { EventType, historyEvent } from '../../src/local/host/orchestration/history';
import { outstandingWork } from '../../src/local/host/orchestration/recovery';

const AT = Date.parse('2026-01-01T00:00:00Z');

describe('outstanding work after a restart', () => {
  const history = [
    historyEvent(EventType.ExecutionStarted, AT),
    historyEvent(EventType.TaskScheduled, AT, { Name: 'done', Input: '1' }, 0),
    historyEvent(EventType.TaskScheduled, AT, { Name: 'inFlight', Input: '{"a":2}' }, 1),
    historyEvent(EventType.TimerCreated, AT, { FireAt: '2026-01-01T01:00:00.000Z' }, 2),
    historyEvent(EventType.TimerCreated, AT, { FireAt: '2026-01-01T02:00:00.000Z' }, 3),
    historyEvent(EventType.SubOrchestrationInstanceCreated, AT, { Name: 'child', InstanceId: 'parent:4', Input: '"x"' }, 4),
    historyEvent(EventType.TaskScheduled, AT, { Name: 'reported', Input: undefined }, 5),
    historyEvent(EventType.TimerCreated, AT, { FireAt: '2026-01-01T03:00:00.000Z' }, 6),
    historyEvent(EventType.TaskCompleted, AT, { TaskScheduledId: 0, Result: 'null' }),
  ];

  it('re-runs activities, re-arms timers at their due time and restarts sub-orchestrations that never reported back', () => {
    const pending = [historyEvent(EventType.TaskCompleted, AT, { TaskScheduledId: 5, Result: '"r"' })];
    expect(outstandingWork(history, pending, new Set([3]))).toEqual([
      { kind: 'activity', id: 1, name: 'inFlight', inputJson: '{"a":2}' },
      { kind: 'timer', id: 2, fireAt: Date.parse('2026-01-01T01:00:00.000Z') },
      { kind: 'subOrchestration', id: 4, name: 'child', instanceId: 'parent:4', inputJson: '"x"' },
      { kind: 'timer', id: 6, fireAt: Date.parse('2026-01-01T03:00:00.000Z') },
    ]);
  });

  it('leaves alone what fired, failed or completed', () => {
    const finished = [
      historyEvent(EventType.TaskFailed, AT, { TaskScheduledId: 1, Reason: 'r', Details: 'd' }),
      historyEvent(EventType.TimerFired, AT, { TimerId: 2 }),
      historyEvent(EventType.TimerFired, AT, { TimerId: 3 }),
      historyEvent(EventType.SubOrchestrationInstanceFailed, AT, { TaskScheduledId: 4, Reason: 'r', Details: '' }),
      historyEvent(EventType.TaskCompleted, AT, { TaskScheduledId: 5, Result: 'null' }),
      historyEvent(EventType.TimerFired, AT, { TimerId: 6 }),
    ];
    expect(outstandingWork([...history, ...finished], [], new Set())).toEqual([]);
  });

  it('sends again the entity calls without an answer and every signal; an answered call stays answered', () => {
    const sender = { instanceId: 'orch', executionId: 'e1' };
    const answered = { id: 'req-answered', name: 'add', inputJson: '1', caller: sender };
    const waiting = { id: 'req-waiting', name: 'get', inputJson: undefined, caller: sender };
    const signal = { id: 'req-signal', name: 'add', inputJson: '5', caller: undefined };
    const sent = [
      historyEvent(EventType.ExecutionStarted, AT),
      historyEvent(EventType.EventSent, AT, requestEventFields('@counter@a', answered, sender), 0),
      historyEvent(EventType.EventSent, AT, requestEventFields('@counter@b', waiting, sender), 1),
      historyEvent(EventType.EventSent, AT, requestEventFields('@counter@a', signal, sender)),
      historyEvent(EventType.EventRaised, AT, { Name: 'req-answered', Input: '{"result":"1"}' }),
    ];
    expect(outstandingWork(sent, [], new Set())).toEqual([
      { kind: 'entityMessage', schedulerId: '@counter@b', operation: waiting },
      { kind: 'entityMessage', schedulerId: '@counter@a', operation: signal },
    ]);
    // An answer that arrived but was not taken in by an episode yet counts as well.
    const pending = [historyEvent(EventType.EventRaised, AT, { Name: 'req-waiting', Input: '{"result":"0"}' })];
    expect(outstandingWork(sent, pending, new Set())).toEqual([{ kind: 'entityMessage', schedulerId: '@counter@a', operation: signal }]);
  });
});
