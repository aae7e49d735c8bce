"""Semantic analyses that rules share: names and bindings, constants, taint, project environment,
notebook scopes, duplication. A rule asks an analysis a question; it never re-implements one."""
