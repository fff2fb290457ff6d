"""The Ledgergraph benchmark (`scripts/bench`): seed a realistic dataset, serve it with
uvicorn, load it over HTTP with wrk and count what each request costs.

Modules, in the order a run uses them: `config` (options), `databases` (a fresh
database per engine), `dataset` + `seed` (the rows and their bulk insert), `targets`
(what is asked, and through which executor), `sqlcount` (statements per request,
in-process) with `roundtrips` + `pgwire` (PostgreSQL round trips, counted on the wire
by a proxy in that same pass), `capture` + `bare_app` (the bare rows: the compiled
path's own statement recorded in-process and replayed by a bare Starlette app, the
ceiling of the stack), `server` + `loaders` (`wrk` + wrk.lua, or the Python fallback
`load`) + `rss` + `dbcpu` (the HTTP load, memory, server and database CPU), `goals`
(the issue's targets), `report`, and `runner`/`cli` which tie them together.
"""
