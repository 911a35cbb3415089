# The reference job's orders (tests/bench/reference, tests/bench/growth):
#   awk -v n=ROWS -f tests/bench/orders.awk > orders.csv
# A Shopify-like CSV: RFC 3339 times with offsets, about a quarter as many
# customers as orders, twelve channels, 2% voided.  Park-Miller, so that
# every awk writes the same orders.
function rnd() { s = (s * 16807) % 2147483647; return s / 2147483647 }
BEGIN {
	s = 42
	nc = split("Organic Search,Paid Search,Paid Social,Direct,Email,Referral,Affiliates,Display,Organic Social,Paid Shopping,Paid Video,Unassigned", ch, ",")
	print "Name,Email,Financial Status,Currency,Total,Created at,Source,Lineitem quantity,Billing Country"
	for (i = 1; i <= n; i++) {
		d = 1 + int(rnd() * 365); m = 1
		split("31 29 31 30 31 30 31 31 30 31 30 31", ml, " ")
		while (d > ml[m]) { d -= ml[m]; m++ }
		st = rnd() < 0.02 ? "voided" : rnd() < 0.05 ? "refunded" : "paid"
		printf "#%d,c%d@example.com,%s,GBP,%d.%02d,2024-%02d-%02dT%02d:%02d:%02d%s,%s,%d,%s\n",
		    1000 + i, int(rnd() * rnd() * n / 2), st,
		    5 + int(rnd() * 150), int(rnd() * 100), m, d, int(rnd() * 24),
		    int(rnd() * 60), int(rnd() * 60),
		    (m > 3 && m < 11) ? "+01:00" : "Z", ch[1 + int(rnd() * nc)],
		    1 + int(rnd() * 3), rnd() < 0.8 ? "GB" : "IE"
	}
}
