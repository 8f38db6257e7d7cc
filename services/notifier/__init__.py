"""socorg notifier: Zombie flags, reminders and alerts."""
