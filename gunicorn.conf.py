"""gunicorn settings that matter for privacy; give deployment ones (bind, workers) on the command line.

The access log never contains a query string: search queries (`/search?q=…`) can say a lot about a person,
so the request is logged as method and path only (`%(U)s`), never the request line (`%(r)s`) or the query
(`%(q)s`). The referrer (`%(f)s`) is left out too: after a search it is the results page, query included.
No client address (`%(h)s`) or user agent (`%(a)s`) either: the reverse proxy keeps what monitoring needs.
"""
accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
