-- wrk script: POST the prep form as a same-origin browser would.
wrk.method = "POST"
wrk.body = "a.topics=The+release+plan%0D%0Aand+hiring&a.blockers=A+reviewer&a.mood=4"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Sec-Fetch-Site"] = "same-origin"
