"""Put on PYTHONPATH by the start-up race test only: every committed-offset look-up of the worker's consumer
waits STREAM_TEST_COMMITTED_DELAY seconds first.

Faust resumes the input partitions before it seeks them to their committed offsets, and the seek
looks the offsets up one partition after the other; records fetched meanwhile reach the agents'
buffers, which are cleared when the flow resumes. The delay widens that window from milliseconds
to seconds, so that a start-up that could lose a record does so every time.
"""

import asyncio
import os
import sys

from aiokafka.consumer import consumer
from mode.utils import queues

_DELAY = float(os.environ.get("STREAM_TEST_COMMITTED_DELAY", "0.5"))
_committed = consumer.AIOKafkaConsumer.committed


async def _slow_committed(self, partition):
    await asyncio.sleep(_DELAY)
    return await _committed(self, partition)


consumer.AIOKafkaConsumer.committed = _slow_committed


def _count_cleared(self) -> None:
    dropped = sum(queue.qsize() for queue in self._queues)
    if dropped:
        print(f"test: the flow resumed with {dropped} event(s) in the agents' buffers, cleared", file=sys.stderr,
              flush=True)
    _clear(self)


_clear = queues.FlowControlEvent.clear
queues.FlowControlEvent.clear = _count_cleared
