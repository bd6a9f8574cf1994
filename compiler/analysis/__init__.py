"""What the static checks know about one agent: its symbol table (:mod:`.symbols`), every runtime
string and where each ``${...}`` is expanded (:mod:`.strings`), held per unit by an
:class:`~compiler.analysis.model.AgentModel`. Describes the tree; never reports."""
