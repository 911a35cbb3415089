# generate.awk - four weeks (3-30 March 2025) of three clients' exports:
# a Shopify orders export and a Meta Ads export each, in the platforms'
# formats, cut to the columns the presets read.  Deterministic: a linear
# congruential generator, no rand().  Run by generate.sh:
#   awk -v client=acme -v dir=DIR -f generate.awk
function rnd(n) { seed = (seed * 1103515245 + 12345) % 2147483648; return int(seed / 65536) % n }
BEGIN {
	split("acme birch cobalt", names, " ")
	for (i = 1; i <= 3; i++) if (names[i] == client) c = i
	if (!c) { print "generate.awk: unknown client " client > "/dev/stderr"; exit 2 }
	seed = c * 7919
	base = 2 + 2 * c		# orders a day: 4, 6, 8 and some
	price = 15 + 10 * c		# a basket: £25, £35, £45 and some
	orders = dir "/orders_export_1.csv"
	ads = dir "/" client "-Campaigns-Mar-3-2025-Mar-30-2025.csv"
	print "Name,Email,Financial Status,Currency,Subtotal,Shipping,Taxes,Total,Discount Amount,Created at,Lineitem quantity,Lineitem name,Refunded Amount,Cancelled at,Billing Country,Source" > orders
	print "\"Reporting starts\",\"Reporting ends\",Day,\"Campaign name\",\"Ad set name\",\"Ad name\",\"Amount spent (GBP)\",Impressions,Reach,\"Link clicks\",\"Clicks (all)\",\"Adds to cart\",Purchases,\"Purchases conversion value\"" > ads
	no = 1000 * c
	for (d = 3; d <= 30; d++) {
		day = sprintf("2025-03-%02d", d)
		n = base + rnd(3)
		for (k = 0; k < n; k++) {
			total = price + rnd(20) + rnd(100) / 100
			printf "#%d,customer%02d@%s.example,paid,GBP,%.2f,0.00,0.00,%.2f,0.00,%s %02d:%02d:00 +0000,1,Item,0.00,,GB,web\n", \
			    ++no, rnd(40), client, total, total, day, 8 + k, rnd(60) > orders
		}
		spend = 20 * c + rnd(1000) / 100
		impr = 3000 * c + rnd(500)
		clicks = 40 * c + rnd(20)
		printf "%s,%s,%s,Prospecting,Broad,Ad 1,%.2f,%d,%d,%d,%d,%d,%d,%.2f\n", \
		    day, day, day, spend, impr, int(impr * 0.7), clicks, clicks * 2, rnd(10), 1 + rnd(3), 100 + 20 * c + rnd(40) > ads
	}
}
