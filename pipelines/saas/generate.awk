# generate.awk - every subscription of a small SaaS, Ledgerly, as Stripe's
# Billing > Subscriptions export (all statuses) writes it on 31 December
# 2025.  Run by generate.sh; the output is committed, so this runs only
# when the company's story changes.
#
# Deterministic: its own Park-Miller generator (awk's rand() differs
# between mawk and gawk), integer cents for money, no clock.
#
# The company: about 60 subscriptions from 2024 on 1 January, 9 to 16 new
# ones a month, growing through the year, on four plans (Starter, Pro,
# Pro yearly, Team per seat); monthly subscriptions churn about 4% a
# month, some at once, some at the end of their billing period.  Days
# run 1-28, so a billing anniversary falls in every month.

function rnd() {			# uniform in [0, 1)
	seed = (seed * 16807) % 2147483647
	return (seed - 1) / 2147483646
}
function between(lo, hi) { return lo + int(rnd() * (hi - lo + 1)) }
function pad(n) { return sprintf("%02d", n) }
function cents(c) { return sprintf("%d.%02d", int(c / 100), c % 100) }
function stamp(y, m, d, h, mi) {	# Stripe's UTC time, to the minute
	return sprintf("%d-%s-%s %s:%s:00", y, pad(m), pad(d), pad(h), pad(mi))
}
# A new subscription: its plan, quantity and creation time.
function open(y, m,   r) {
	n++
	r = rnd()
	plan[n] = r < 0.40 ? 1 : r < 0.75 ? 2 : r < 0.85 ? 3 : 4
	qty[n] = plan[n] == 4 ? between(3, 10) : 1
	cy[n] = y; cm[n] = m; cd[n] = between(1, 28)
	ch[n] = between(7, 20); cmi[n] = between(0, 59)
	ended[n] = 0
}
# Ends subscription i in month m of 2025, at once or at its period's end
# (yearly ones are not ended: none comes up for renewal and leaves).
function cancel(i, m,   d) {
	ended[i] = m
	atend[i] = rnd() < 0.5
	if (atend[i]) {			# asked in the weeks before
		ed[i] = cd[i]
		xd[i] = ed[i] > 8 ? ed[i] - between(1, 7) : ed[i]
		xm[i] = m
	} else {
		ed[i] = between(1, 28)
		xd[i] = ed[i]; xm[i] = m
	}
	eh[i] = between(0, 23)
}
function row(i,   s, id, cus, y, m, ps, pe, name) {
	id = sprintf("sub_1Q%08dLdg%06d", i * 7919 % 100000000, i)
	cus = sprintf("cus_R%09d", i * 104729 % 1000000000)
	name = first[between(1, nfirst)] " " last[between(1, nlast)]
	if (ended[i]) {
		s = "canceled"
		# The last period: the one the subscription ended in.
		y = 2025; m = ended[i]
		if ((ed[i] < cd[i] || (atend[i] && ed[i] == cd[i])) && --m == 0) { m = 12; y-- }
	} else {
		s = "active"
		y = 2025; m = 12
		if (plan[i] == 3) m = cm[i]
	}
	ps = stamp(y, m, cd[i], ch[i], cmi[i])
	if (plan[i] == 3) pe = stamp(y + 1, m, cd[i], ch[i], cmi[i])
	else pe = stamp(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, cd[i], ch[i], cmi[i])
	if (stamp_cmp(ps, cy[i], cm[i], cd[i]) < 0)
		ps = stamp(cy[i], cm[i], cd[i], ch[i], cmi[i])
	printf "%s,%s,,%s,%s,%s,%s,%d,usd,%s,%s,%s,%s,%s,%s,%s,,,%s,%s,%s\n",
	    id, cus, tolower(substr(name, 1, index(name, " ") - 1)) i "@example.com",
	    name, pname[plan[i]], product[plan[i]], qty[i], interval[plan[i]],
	    cents(price[plan[i]]), s,
	    stamp(cy[i], cm[i], cd[i], ch[i], cmi[i]),
	    stamp(cy[i], cm[i], cd[i], ch[i], cmi[i]), ps, pe,
	    ended[i] ? stamp(2025, xm[i], xd[i], eh[i], cmi[i]) : "",
	    ended[i] ? (atend[i] ? "true" : "false") : "false",
	    ended[i] ? stamp(2025, ended[i], ed[i], atend[i] ? ch[i] : eh[i], cmi[i]) : ""
}
function stamp_cmp(s, y, m, d) {	# the period start before creation?
	return substr(s, 1, 10) < sprintf("%d-%s-%s", y, pad(m), pad(d)) ? -1 : 0
}

BEGIN {
	seed = 20251231
	split("Starter|Pro|Pro (yearly)|Team", pname, "|")
	split("prod_Starter01|prod_Pro0001|prod_Pro0001|prod_Team0001", product, "|")
	split("month month year month", interval, " ")
	split("1900 4900 49000 1200", price, " ")
	nfirst = split("Ada Ben Cleo Dan Eve Finn Gia Hugo Iris Jon Kai Lena " \
	    "Milo Nia Omar Pia Quin Rosa Sam Tara Uma Vic Wren Yara Zed", first, " ")
	nlast = split("Abbott Baker Chen Diaz Evans Fox Gray Hill Ito Jones " \
	    "Khan Lopez Moss Novak Ortiz Patel Reed Silva Tan Vega", last, " ")
	for (i = 0; i < 60; i++)
		open(2024, between(1, 12))
	for (m = 1; m <= 12; m++) {
		# Churn first, over what was open before this month's sign-ups.
		for (i = 1; i <= n; i++)
			if (!ended[i] && plan[i] != 3 && rnd() < 0.04)
				cancel(i, m)
		k = between(9, 13) + int(m / 4)
		for (j = 0; j < k; j++)
			open(2025, m)
	}
	print "id,Customer ID,Customer Description,Customer Email,Customer Name," \
	    "Plan,Product,Quantity,Currency,Interval,Amount,Status,Created (UTC)," \
	    "Start Date (UTC),Current Period Start (UTC),Current Period End (UTC)," \
	    "Trial Start (UTC),Trial End (UTC),Canceled At (UTC)," \
	    "Cancel At Period End,Ended At (UTC)"
	for (i = n; i >= 1; i--)	# newest first, as Stripe lists them
		row(i)
}
