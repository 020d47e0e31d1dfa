"""Put on PYTHONPATH by the dropped-record test only: on each partition of the topic whose name ends in
STREAM_TEST_DROP_TOPIC, the record at offset STREAM_TEST_DROP_OFFSET never reaches its agent's buffer, the
first time it is handed over (as a cleared buffer, or a stream skipping a record, drops one).
"""

import os
import sys

from mode.utils import queues

_TOPIC = os.environ["STREAM_TEST_DROP_TOPIC"]
_OFFSET = int(os.environ["STREAM_TEST_DROP_OFFSET"])
_dropped: set = set()
_put = queues.FlowControlQueue.put_nowait_enhanced


def _put_unless_dropped(self, value, *args, **kwargs):
    message = getattr(value, "message", None)
    if (message is not None and message.topic.endswith(_TOPIC) and message.offset == _OFFSET
            and message.tp not in _dropped):
        _dropped.add(message.tp)
        print(f"test: {message.topic}[{message.partition}] offset {message.offset} dropped on its way to the agent",
              file=sys.stderr, flush=True)
        return None
    return _put(self, value, *args, **kwargs)


queues.FlowControlQueue.put_nowait_enhanced = _put_unless_dropped
