import t from 'tap';
import { Slots } from '../../src/execute/slots.js';

t.test(
  'a slot pool: taken up to its limit, waiters served in order before new takers, aborts leave the queue',
  async (t) => {
    const slots = new Slots(2);
    t.ok(slots.tryTake());
    t.ok(slots.tryTake());
    t.notOk(slots.tryTake(), 'full');
    const order: string[] = [];
    const first = slots.take(new AbortController().signal).then((ok) => order.push(`first ${ok}`));
    const abort = new AbortController();
    const second = slots.take(abort.signal).then((ok) => order.push(`second ${ok}`));
    const third = slots.take(new AbortController().signal).then((ok) => order.push(`third ${ok}`));
    abort.abort();
    await second;
    slots.give();
    await first;
    t.notOk(slots.tryTake(), 'the freed slot went to the waiting shard, not to a new taker');
    slots.give();
    await third;
    t.same(order, ['second false', 'first true', 'third true']);
    let freed = false;
    const woke = slots.freed().then(() => (freed = true));
    slots.give();
    await woke;
    t.ok(freed, 'a slot nobody waited for wakes the scheduler');
    t.ok(slots.tryTake(), 'and can be taken');
  },
);
