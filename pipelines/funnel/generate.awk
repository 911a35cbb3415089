# generate.awk - a year (2025) of a small tea shop's exports, as its
# platforms write them.  Run by generate.sh, which zips each month; the
# output is committed, so this runs only when the shop's story changes.
#
# Deterministic: its own Park-Miller generator (awk's rand() differs
# between mawk and gawk), integer pence for money, no clock.  Everything
# is written into the directory given as -v out=DIR, one folder per month.
#
# The shop: sessions about 500 a day with seasons (a slow January, a
# busy November and December) and weekdays; a conversion rate that
# climbs from about 1.7% to 2.2% over the year; baskets of 1-4 items of
# eight products; customers who come back; refunds, cancellations and
# London summer time on the orders; Meta and Google Ads spend by day.

function rnd() {			# uniform in [0, 1)
	seed = (seed * 16807) % 2147483647
	return (seed - 1) / 2147483646
}
function between(lo, hi) { return lo + int(rnd() * (hi - lo + 1)) }
function noise(spread) { return 1 + spread * (2 * rnd() - 1) }
function pick(n) { return 1 + int(rnd() * n) }
function money(p) {			# pence as 12.34
	return sprintf("%d.%02d", int(p / 100), p % 100)
}
function thousands(n,   s) {		# 12,880 as Google Ads writes it
	s = sprintf("%d", n)
	while (s ~ /[0-9][0-9][0-9][0-9]/)
		sub(/[0-9][0-9][0-9]($|,)/, ",&", s)
	return s
}
function pad(n) { return sprintf("%02d", n) }
function days_in(y, m) {
	if (m == 2)
		return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28
	return (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31
}
# London time in 2025: BST from 30 March 01:00 UTC to 26 October 01:00 UTC.
function offset_of(m, d, h) {
	if (m > 3 && m < 10) return 1
	if (m == 3) return (d > 30 || (d == 30 && h >= 2)) ? 1 : 0
	if (m == 10) return (d < 26 || (d == 26 && h < 2)) ? 1 : 0
	return 0
}
function stamp(y, m, d, h, mi, s) {	# Shopify's local time with offset
	return sprintf("%d-%s-%s %s:%s:%s %s", y, pad(m), pad(d), pad(h),
	    pad(mi), pad(s), offset_of(m, d, h) ? "+0100" : "+0000")
}
# Hours later, on a clock that only needs day rollover within the year.
function later(y, m, d, h, hours,   t) {
	t = h + hours
	while (t >= 24) {
		t -= 24
		if (++d > days_in(y, m)) {
			d = 1
			if (++m > 12) { m = 1; y++ }
		}
	}
	return stamp(y, m, d, t, between(0, 59), between(0, 59))
}
function csvq(s) {			# RFC 4180 quoting where needed
	if (s ~ /[",\n]/) {
		gsub(/"/, "\"\"", s)
		return "\"" s "\""
	}
	return s
}

BEGIN {
	seed = 20250101
	year = 2025
	# Seasons by month and weekdays (Monday first): the shop's rhythm.
	split("0.80 0.82 0.90 0.95 1.00 0.94 0.90 0.88 1.00 1.08 1.35 1.45",
	    season, " ")
	split("1.00 0.98 0.97 1.00 1.05 1.12 1.10", weekday, " ")
	# The products: SKU, name, price and cost in pence.
	np = split("TEA-EB-100 TEA-EG-100 TEA-GR-050 TEA-CH-100 TEA-PP-050 " \
	    "POT-GL-600 MUG-ST-350 GFT-BX-001", sku, " ")
	split("English Breakfast 100g|Earl Grey 100g|Sencha Green 50g|" \
	    "Chai Spice 100g|Peppermint 50g|Glass Teapot 600ml|" \
	    "Stoneware Mug|Tasting Gift Box", pname, "|")
	split("850 900 1100 1000 650 2400 1200 2900", price, " ")
	split("360 390 480 420 240 1150 580 1450", cost, " ")
	# Channels of sessions, as GA4 groups them, with their shares and
	# how well each converts; orders carry UTM keys only where the
	# visit was tagged (ads and e-mail), as real shops' orders do.
	nc = split("Organic Search|Paid Search|Paid Social|Direct|Email|" \
	    "Referral|Cross-network", chan, "|")
	split("0.33 0.17 0.19 0.15 0.07 0.05 0.04", share, " ")
	split("0.95 1.15 0.80 1.25 1.60 0.90 0.85", lift, " ")
	split("||facebook|||||", usrc, "|")
	utm["Paid Search"] = "utm_source: google\nutm_medium: cpc\nutm_campaign: brand"
	utm["Paid Social"] = "utm_source: facebook\nutm_medium: paid_social\nutm_campaign: prospecting"
	utm["Email"] = "utm_source: klaviyo\nutm_medium: email\nutm_campaign: newsletter"
	utm["Cross-network"] = "utm_source: google\nutm_medium: cpc\nutm_campaign: pmax"
	order_no = 1001
	customers = 0
	dow = 3			# 1 January 2025 was a Wednesday
	products()
	for (m = 1; m <= 12; m++)
		month(m)
}

# Shopify's products export (2025 columns): one row per variant, with the
# Cost per item that kpi-normalize --lookup products=... gives the orders.
function products(   f, i, h) {
	f = out "/products_export_1.csv"
	print "Handle,Title,Body (HTML),Vendor,Product Category,Type,Tags,Published,Option1 Name,Option1 Value,Option1 Linked To,Option2 Name,Option2 Value,Option2 Linked To,Option3 Name,Option3 Value,Option3 Linked To,Variant SKU,Variant Grams,Variant Inventory Tracker,Variant Inventory Policy,Variant Fulfillment Service,Variant Price,Variant Compare At Price,Variant Requires Shipping,Variant Taxable,Variant Barcode,Image Src,Image Position,Image Alt Text,Gift Card,SEO Title,SEO Description,Google Shopping / Google Product Category,Google Shopping / Gender,Google Shopping / Age Group,Google Shopping / MPN,Google Shopping / Condition,Google Shopping / Custom Product,Google Shopping / Custom Label 0,Google Shopping / Custom Label 1,Google Shopping / Custom Label 2,Google Shopping / Custom Label 3,Google Shopping / Custom Label 4,Variant Image,Variant Weight Unit,Variant Tax Code,Cost per item,Status" > f
	for (i = 1; i <= np; i++) {
		h = tolower(sku[i])
		printf "%s,%s,<p>%s from Leaf & Kettle.</p>,Leaf & Kettle,Food & Drink > Tea,%s,,true,Title,Default Title,,,,,,,,%s,%d,shopify,deny,manual,%s,,true,true,,https://cdn.example/%s.jpg,1,,false,,,,,,,,,,,,,,,kg,,%s,active\n", \
		    h, csvq(pname[i]), pname[i], i <= 5 ? "Tea" : "Teaware",
		    sku[i], i <= 5 ? 120 : 600, money(price[i]), h,
		    money(cost[i]) > f
		# A second image: a row with only its handle and image.
		printf "%s,,,,,,,,,,,,,,,,,,,,,,,,,,,https://cdn.example/%s-2.jpg,2,,,,,,,,,,,,,,,,,,,,\n", \
		    h, h > f
	}
	close(f)
}

function month(m,   dir, d, n) {
	dir = out "/" year "-" pad(m)
	system("mkdir -p '" dir "'")
	shop = dir "/orders_export_1.csv"
	ga_daily = dir "/data-export.csv"
	ga_chan = dir "/data-export (1).csv"
	meta = sprintf("%s/Tea-Shop-Campaigns-%s-1-%d-%s-%d-%d.csv", dir,
	    mon[m] = substr("JanFebMarAprMayJunJulAugSepOctNovDec", 3 * m - 2, 3),
	    year, mon[m], days_in(year, m), year)
	gads = dir "/Campaign report.csv"
	reviews = dir "/judgeme_reviews_export.csv"
	print "title,body,rating,review_date,source,curated,reviewer_name,reviewer_email,product_id,product_handle,reply,reply_date,picture_urls,ip_address,location,metaobject_handle" > reviews
	shop_header()
	ga_preamble(ga_daily, "Daily sessions and purchases", m)
	print "Date,Sessions,Engaged sessions,Add to carts,Ecommerce purchases,Purchase revenue" > ga_daily
	for (c = 1; c <= nc; c++)
		cs[c] = ck[c] = cp[c] = crev[c] = 0
	meta_rows = gads_rows = ""
	meta_spend = meta_impr = meta_reach = meta_clicks = meta_all = 0
	meta_carts = meta_buys = meta_value = 0
	for (d = 1; d <= days_in(year, m); d++) {
		day(m, d)
		dow = dow % 7 + 1
	}
	ga_channels(m)
	meta_file(m)
	gads_file(m)
	close(shop); close(ga_daily); close(ga_chan); close(meta); close(gads)
	close(reviews)
}

# One day: sessions by channel, orders from them, ad spend behind them.
function day(m, d,   base, c, s, rate, n, k, date, sess, eng, carts, buys, value) {
	date = year pad(m) pad(d)
	base = 500 * season[m] * weekday[dow] * noise(0.12)
	# Conversion climbs through the year: 1.7% in January, 2.2% in December.
	rate = (0.0170 + 0.0050 * ((m - 1) * 31 + d) / 365) * noise(0.10)
	sess = eng = carts = buys = value = 0
	for (c = 1; c <= nc; c++) {
		s = int(base * share[c] * noise(0.15) + 0.5)
		n = int(s * rate * lift[c] + rnd())
		sess += s
		eng += int(s * 0.62 * noise(0.05))
		carts += int(s * 0.40 * noise(0.10))
		cs[c] += s
		ck[c] += int(s * 0.021 * lift[c] * noise(0.2) + rnd())
		for (k = 0; k < n; k++) {
			value += order(m, d, chan[c])
			if (rnd() < 0.93) {	# GA4 misses some purchases
				buys++
				cp[c]++
				crev[c] += last_total
			}
		}
	}
	printf "%s,%d,%d,%d,%d,%s\r\n", date, sess, eng, carts, buys, money(value) > ga_daily
	ads(m, d)
}

# One order, its line items as rows; returns its total in pence.
function order(m, d, channel,   h, mi, s, created, who, items, i, q, p, subt,
    ship, disc, total, tax, status, refunded, cancelled, code, fulfilled, note, src) {
	h = between(7, 22); mi = between(0, 59); s = between(0, 59)
	created = stamp(year, m, d, h, mi, s)
	# About a third of orders come from customers who ordered before.
	if (customers > 0 && rnd() < 0.34)
		who = between(1, customers)
	else
		who = ++customers
	items = between(1, 4) - (rnd() < 0.35)
	if (items < 1) items = 1
	subt = 0
	for (i = 1; i <= items; i++) {
		line_sku[i] = pick(np)
		line_q[i] = rnd() < 0.8 ? 1 : 2
		subt += price[line_sku[i]] * line_q[i]
	}
	disc = 0; code = ""
	if (rnd() < 0.12) {
		code = "WELCOME10"
		disc = int(subt / 10)
	}
	ship = subt - disc >= 4000 ? 0 : 395
	total = subt - disc + ship
	tax = int(total / 6)		# UK VAT, included in prices
	status = "paid"; refunded = 0; cancelled = ""
	fulfilled = later(year, m, d, h, between(18, 70))
	r = rnd()
	if (r < 0.010) {
		status = "voided"; cancelled = later(year, m, d, h, between(1, 6))
		fulfilled = ""
	} else if (r < 0.035) {
		status = "refunded"; refunded = total
	} else if (r < 0.055) {
		status = "partially_refunded"; refunded = price[line_sku[1]]
	}
	note = channel in utm ? utm[channel] : ""
	src = "web"
	# About one order in twelve is reviewed, days later in the month.
	if (status == "paid" && rnd() < 0.085)
		review(m, d, line_sku[1], who)
	last_total = total
	for (i = 1; i <= items; i++) {
		p = price[line_sku[i]]
		if (i == 1)
			printf "#%d,customer%05d@example.com,%s,%s,%s,%s,%s,GBP,%s,%s,%s,%s,%s,%s,%s,%s,", \
			    order_no, who, status, status == "voided" ? "" : created,
			    fulfilled == "" ? "unfulfilled" : "fulfilled", fulfilled,
			    rnd() < 0.6 ? "yes" : "no", money(subt), money(ship),
			    money(tax), money(total), csvq(code), money(disc),
			    ship ? "Royal Mail Tracked 48" : "Free UK delivery",
			    created > shop
		else
			printf "#%d,customer%05d@example.com,,,,,,,,,,,,,,%s,", \
			    order_no, who, created > shop
		printf "%d,%s,%s,,%s,true,true,%s,", line_q[i],
		    csvq(pname[line_sku[i]]), money(p), sku[line_sku[i]],
		    fulfilled == "" ? "pending" : "fulfilled" > shop
		if (i == 1)
			printf "Test Buyer,1 Example Street,1 Example Street,,,London,SW1A 1AA,,GB,,Test Buyer,1 Example Street,1 Example Street,,,London,SW1A 1AA,,GB,,,%s,%s,Shopify Payments,c%010d.1,%s,Leaf & Kettle,0.00,,,,%s,,Low,%s,0.00,GB VAT 20%%,%s,,,,,,,,,,,,,,c%010d.1,,,c%010d.1\n", \
			    csvq(note), cancelled, order_no, money(refunded),
			    "555" sprintf("%07d", order_no), src, money(tax), order_no,
			    order_no > shop
		else
			printf ",,,,,,,,,,,,,,,,,,,,,,,,,,Leaf & Kettle,,,,,,,,,0.00,,,,,,,,,,,,,,,,,,,\n" > shop
	}
	order_no++
	return status == "voided" ? 0 : total
}

# A Judge.me review of product k: mostly 5 stars, a few low; some spam.
function review(m, d, k, who,   r, stars, rday, spam) {
	r = rnd()
	stars = r < 0.70 ? 5 : r < 0.89 ? 4 : r < 0.95 ? 3 : r < 0.975 ? 2 : 1
	rday = d + between(2, 9)
	if (rday > days_in(year, m))
		rday = days_in(year, m)
	spam = rnd() < 0.03
	printf "%s,%s,%d,%d-%s-%s %s:%s:%s UTC,%s,%s,Customer %d,customer%05d@example.com,70000000%02d,%s,,,,,,\n", \
	    (stars >= 4 ? "Lovely" : stars == 3 ? "Fine" : "Disappointed"),
	    csvq((stars >= 4 ? "Fresh, fragrant and well packed." : "Not what I hoped for.")),
	    stars, year, pad(m), pad(rday), pad(between(8, 21)), pad(between(0, 59)),
	    pad(between(0, 59)), (rnd() < 0.7 ? "email" : "web"),
	    (spam ? "spam" : "ok"), who, who, k, tolower(sku[k]) > reviews
}

# The day's ads: two Meta campaigns, three Google Ads campaigns.
function ads(m, d,   date, i, spend, impr, clicks, all, reach, carts, buys, value, name, kind) {
	date = year "-" pad(m) "-" pad(d)
	for (i = 1; i <= 2; i++) {
		name = i == 1 ? "Prospecting — UK" : "Retargeting, 30 days"
		spend = int((i == 1 ? 3200 : 1500) * season[m] * noise(0.2))
		impr = int(spend * (i == 1 ? 1.75 : 1.35) * noise(0.1))
		reach = int(impr * 0.72)
		clicks = int(impr * (i == 1 ? 0.012 : 0.019) * noise(0.15))
		all = int(clicks * 1.7)
		carts = int(clicks * 0.09 * noise(0.3))
		buys = int(clicks * (i == 1 ? 0.025 : 0.045) * noise(0.3) + rnd())
		value = buys * int(3600 * noise(0.15))
		meta_rows = meta_rows sprintf("%s,%s,%s,%s,active,%d,actions:offsite_conversion.fb_pixel_purchase,%s,%d,%d,%.6f,%.6f,%d,%d,%d,%d,%s\n", \
		    date, date, date, "\"" name "\"", buys, money(spend), impr, reach,
		    impr / reach, spend / impr * 10, clicks, all, carts, buys,
		    money(value))
		meta_spend += spend; meta_impr += impr; meta_reach += reach
		meta_clicks += clicks; meta_all += all; meta_carts += carts
		meta_buys += buys; meta_value += value
	}
	for (i = 1; i <= 3; i++) {
		name = i == 1 ? "Brand — Search" : i == 2 ? "Shopping — All teas" : "PMax — All products"
		kind = i == 1 ? "Search" : i == 2 ? "Shopping" : "Performance Max"
		spend = int((i == 1 ? 1400 : i == 2 ? 2100 : 1800) * season[m] * noise(0.2))
		clicks = int(spend / (i == 1 ? 55 : i == 2 ? 70 : 80) * noise(0.1))
		impr = int(clicks / (i == 1 ? 0.085 : i == 2 ? 0.016 : 0.011) * noise(0.1))
		buys = clicks * (i == 1 ? 0.06 : 0.025) * noise(0.3)
		value = int(buys * 3900 * noise(0.1))
		gads_rows = gads_rows sprintf("%s\t%s\t%s\tGBP\t%s\t%s\t%s\t%.2f\t%s\n", \
		    date, name, kind, thousands(impr), thousands(clicks),
		    money(spend), buys, money(value))
		gs[i] += spend; gi[i] += impr; gc[i] += clicks; gb[i] += buys; gv[i] += value
	}
}

function ga_preamble(f, title, m) {
	printf "# ----------------------------------------\r\n# %s\r\n", title > f
	printf "# Account: Leaf & Kettle\r\n# Property: leafandkettle.example - GA4\r\n" > f
	printf "# ----------------------------------------\r\n# \r\n# All Users\r\n" > f
	printf "# Start date: %d%s01\r\n# End date: %d%s%s\r\n", year, pad(m),
	    year, pad(m), pad(days_in(year, m)) > f
}

# Traffic acquisition: one row per channel for the month, no date column.
function ga_channels(m,   c) {
	ga_preamble(ga_chan, "Traffic acquisition: Session primary channel group (Default Channel Group)", m)
	print "Session primary channel group (Default Channel Group),Sessions,Engaged sessions,Engagement rate,Key events,Session key event rate,Total revenue\r" > ga_chan
	for (c = 1; c <= nc; c++)
		printf "%s,%d,%d,%.9g,%d,%.9g,%s\r\n", chan[c], cs[c],
		    int(cs[c] * 0.62), 0.62, cp[c], cp[c] / cs[c],
		    money(crev[c]) > ga_chan
}

# Meta Ads Manager's export: a summary row first, then campaign-days.
function meta_file(m,   first, last) {
	first = year "-" pad(m) "-01"
	last = year "-" pad(m) "-" pad(days_in(year, m))
	print "\"Reporting starts\",\"Reporting ends\",Day,\"Campaign name\",\"Campaign delivery\",Results,\"Result indicator\",\"Amount spent (GBP)\",Impressions,Reach,Frequency,\"CPM (cost per 1,000 impressions) (GBP)\",\"Link clicks\",\"Clicks (all)\",\"Adds to cart\",Purchases,\"Purchases conversion value\"" > meta
	printf "%s,%s,,,,%d,,%s,%d,%d,%.6f,%.6f,%d,%d,%d,%d,%s\n", first, last,
	    meta_buys, money(meta_spend), meta_impr, meta_reach,
	    meta_impr / meta_reach, meta_spend / meta_impr * 10, meta_clicks,
	    meta_all, meta_carts, meta_buys, money(meta_value) > meta
	printf "%s", meta_rows > meta
}

# Google Ads' report download: title, range, header, rows, Total lines.
# Written as UTF-8 here; generate.sh turns it into Excel's UTF-16LE.
function gads_file(m,   i, s, k, c, b, v) {
	print "Campaign report" > gads
	printf "%s 1, %d - %s %d, %d\n", fullmon(m), year, fullmon(m),
	    days_in(year, m), year > gads
	print "Day\tCampaign\tCampaign type\tCurrency code\tImpr.\tClicks\tCost\tConversions\tConv. value" > gads
	printf "%s", gads_rows > gads
	for (i = 1; i <= 3; i++) {
		s += gs[i]; k += gi[i]; c += gc[i]; b += gb[i]; v += gv[i]
		gs[i] = gi[i] = gc[i] = gb[i] = gv[i] = 0
	}
	printf "Total: Account\t\t\tGBP\t%s\t%s\t%s\t%.2f\t%s\n", thousands(k),
	    thousands(c), money(s), b, money(v) > gads
	printf "Total: Campaigns\t\t\tGBP\t%s\t%s\t%s\t%.2f\t%s\n", thousands(k),
	    thousands(c), money(s), b, money(v) > gads
}
function fullmon(m) {
	split("January February March April May June July August September October November December", fm, " ")
	return fm[m]
}

function shop_header() {
	print "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing Name,Billing Street,Billing Address1,Billing Address2,Billing Company,Billing City,Billing Zip,Billing Province,Billing Country,Billing Phone,Shipping Name,Shipping Street,Shipping Address1,Shipping Address2,Shipping Company,Shipping City,Shipping Zip,Shipping Province,Shipping Country,Shipping Phone,Notes,Note Attributes,Cancelled at,Payment Method,Payment Reference,Refunded Amount,Vendor,Outstanding Balance,Employee,Location,Device ID,Id,Tags,Risk Level,Source,Lineitem discount,Tax 1 Name,Tax 1 Value,Tax 2 Name,Tax 2 Value,Tax 3 Name,Tax 3 Value,Tax 4 Name,Tax 4 Value,Tax 5 Name,Tax 5 Value,Phone,Receipt Number,Duties,Billing Province Name,Shipping Province Name,Payment ID,Payment Terms Name,Next Payment Due At,Payment References" > shop
}
