"""Scheduling: the shops' rotas — who works when — and the rules every change to a shift must keep."""
