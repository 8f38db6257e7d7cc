"""The outbox: the events table read as CloudEvents (reader, envelope) and published to
JetStream in position order by one relay at a time (relay, lease), holding at an event NATS
refuses (blocked, status)."""
