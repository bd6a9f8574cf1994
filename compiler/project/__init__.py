"""The project: the options a command was given, swmlc.yaml (checked, rendered, typed), which
files are agents, and fleets. Loaded once per run and passed down as a :class:`Project`."""
