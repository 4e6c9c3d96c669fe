-- wrk: POST add-to-basket with a CSRF token fetched by run.py beforehand.
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
wrk.headers["Referer"] = os.getenv("BENCH_REFERER")
