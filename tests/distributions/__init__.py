"""What this checkout builds and installs: its wheels, the generator as a user installs it."""
