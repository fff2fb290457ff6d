"""The Ledgergraph benchmark (`scripts/bench`): seed a realistic dataset, serve it with
uvicorn, load it over HTTP and count the SQL each request costs.

Modules, in the order a run uses them: `config` (options), `databases` (a fresh
database per engine), `dataset` + `seed` (the rows and their bulk insert), `targets`
(what is asked, and through which executor), `sqlcount` (statements per request,
in-process), `capture` + `bare_app` (the bare rows: the compiled path's own statement
recorded in-process and replayed by a bare Starlette app, the ceiling of the stack),
`server` + `load` + `rss` (the HTTP load and memory), `report`, and `runner`/`cli`
which tie them together.
"""
