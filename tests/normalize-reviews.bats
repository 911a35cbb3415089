#!/usr/bin/env bats
# kpi-normalize over review and survey exports: the four review presets
# against small invented exports with each app's real header line, and the
# survey specs that kpi-normalize(1) shows (a survey's question is its
# column, so no preset can name it) against Typeform, Google Forms and
# SurveyMonkey files, compared byte for byte with hand-checked typed rows;
# every row accounted for by --stats.

load test_helper

setup() {
	cd "$FIXTURES" || return 1
}

# normalize FILE ARG...: kpi-extract FILE | kpi-normalize ARG...
normalize() {
	local file=$1
	shift
	set -o pipefail
	kpi-extract "$file" | kpi-normalize "$@"
}

@test "judgeme-reviews: a quoted body over two lines, the spam row dropped, dates with and without ' UTC'" {
	run -0 --separate-stderr normalize presets/judgeme_reviews.csv \
	    --preset judgeme-reviews --stats
	assert_golden normalize/judgeme-reviews.ndjson
	assert_stderr 'kpi-normalize: 8 rows in, 7 out, 0 rejected, 1 dropped, 0 folded, 0 duplicates'
}

@test "shopify-product-reviews: UTC and offset times, the spam row dropped, unpublished kept" {
	run -0 --separate-stderr normalize presets/shopify_product_reviews.csv \
	    --preset shopify-product-reviews --stats
	assert_golden normalize/shopify-product-reviews.ndjson
	assert_stderr 'kpi-normalize: 5 rows in, 4 out, 0 rejected, 1 dropped, 0 folded, 0 duplicates'
}

@test "trustpilot-reviews: the review id, stars and source; times in UTC" {
	run -0 --separate-stderr normalize presets/trustpilot_reviews.csv \
	    --preset trustpilot-reviews --stats
	assert_golden normalize/trustpilot-reviews.ndjson
	assert_stderr 'kpi-normalize: 5 rows in, 5 out, 0 rejected, 0 dropped, 0 folded, 0 duplicates'
}

@test "trustpilot-reviews: 'Review Id' as older exports spell it" {
	work
	sed '1s/^Review ID,/Review Id,/' "$FIXTURES/presets/trustpilot_reviews.csv" \
	    >trustpilot_reviews.csv
	run -0 --separate-stderr normalize trustpilot_reviews.csv \
	    --preset trustpilot-reviews
	assert_stderr ''
	output=${output//\"_src\":\"trustpilot_reviews.csv\"/\"_src\":\"presets/trustpilot_reviews.csv\"}
	assert_golden normalize/trustpilot-reviews.ndjson
}

@test "yotpo-reviews: score, product title and id; a quoted quote in the body" {
	run -0 --separate-stderr normalize presets/yotpo_reviews.csv \
	    --preset yotpo-reviews --stats
	assert_golden normalize/yotpo-reviews.ndjson
	assert_stderr 'kpi-normalize: 4 rows in, 4 out, 0 rejected, 0 dropped, 0 folded, 0 duplicates'
}

@test "review presets: every typed row has the same keys, in the same order" {
	local p f keys
	for p in judgeme-reviews:judgeme shopify-product-reviews:shopify_product \
	    trustpilot-reviews:trustpilot yotpo-reviews:yotpo; do
		f=presets/${p#*:}_reviews.csv
		run -0 normalize "$f" --preset "${p%%:*}"
		keys=$(printf '%s\n' "$output" | sed -E 's/"([a-z_]+)":("[^"]*"|[^,}]*)/\1/g' | sort -u)
		[ "$keys" = '{time,review_id,rating,product,product_id,status,source,platform,_dataset,_src,_line}' ] ||
		    { echo "$p: $keys"; return 1; }
	done
}

@test "review presets: a rating that is not a whole number rejects its row" {
	work
	printf '%s\n' 'product_handle,state,rating,title,author,email,location,body,reply,created_at,replied_at' \
	    'mug,published,4.5,Half,A,,,,,2024-01-07 14:02:11 UTC,' \
	    'mug,published,five,Word,B,,,,,2024-01-08 14:02:11 UTC,' \
	    'mug,published,4,Ok,C,,,,,2024-01-09 14:02:11 UTC,' >r.csv
	run -1 --separate-stderr normalize r.csv --preset shopify-product-reviews --stats
	assert_output '{"time":"2024-01-09T14:02:11Z","review_id":null,"rating":4,"product":"mug","product_id":null,"status":"published","source":null,"platform":"shopify","_dataset":"reviews","_src":"r.csv","_line":4}'
	assert_stderr "kpi-normalize: r.csv:2: field 'rating': '4.5' is not integer
kpi-normalize: r.csv:3: field 'rating': 'five' is not integer
kpi-normalize: 3 rows in, 1 out, 2 rejected, 0 dropped, 0 folded, 0 duplicates"
}

@test "review presets: an export given to the wrong preset names the one that fits" {
	run -2 --separate-stderr normalize presets/judgeme_reviews.csv --preset yotpo-reviews
	assert_output ''
	assert_stderr "kpi-normalize: presets/judgeme_reviews.csv:2: none of the spec's columns is here ('Date', 'Review ID', 'Review Score', 'Product Title', 'Product ID'); try --preset judgeme-reviews"
	run -2 --separate-stderr normalize presets/trustpilot_reviews.csv --preset judgeme-reviews
	assert_stderr "kpi-normalize: presets/trustpilot_reviews.csv:2: none of the spec's columns is here ('review_date', 'rating', 'product_handle', 'product_id', 'curated' and 1 more); try --preset trustpilot-reviews"
}

@test "review presets: --show-preset prints a spec that reads the same rows" {
	work
	run -0 kpi-normalize --show-preset trustpilot-reviews
	printf '%s\n' "$output" >tp.json
	cd "$FIXTURES" || return 1
	run -0 --separate-stderr normalize presets/trustpilot_reviews.csv \
	    --spec "$BATS_TEST_TMPDIR/tp.json"
	assert_golden normalize/trustpilot-reviews.ndjson
}

# --- surveys: the specs of kpi-normalize(1) ------------------------------

@test "survey spec: Typeform, its header starting with '#,' read as a header, the partial response dropped" {
	run -0 --separate-stderr bash -c 'set -o pipefail
	    kpi-extract surveys/typeform_responses.csv |
	    kpi-normalize --spec surveys/typeform.json --stats'
	assert_golden normalize/survey-typeform.ndjson
	assert_stderr 'kpi-normalize: 11 rows in, 10 out, 0 rejected, 1 dropped, 0 folded, 0 duplicates'
}

@test "survey spec: Google Forms responses sheet, 'M/D/YYYY H:MM:SS' in the form's zone" {
	run -0 --separate-stderr normalize surveys/google_forms_responses.csv \
	    --spec surveys/google_forms.json --stats
	assert_golden normalize/survey-google_forms.ndjson
	assert_stderr 'kpi-normalize: 4 rows in, 4 out, 0 rejected, 0 dropped, 0 folded, 0 duplicates'
}

@test "survey spec: SurveyMonkey's second header row dropped; 12-hour times, 12 AM and 12 PM" {
	run -0 --separate-stderr normalize surveys/surveymonkey_responses.csv \
	    --spec surveys/surveymonkey.json --stats
	assert_golden normalize/survey-surveymonkey.ndjson
	assert_stderr 'kpi-normalize: 7 rows in, 6 out, 0 rejected, 1 dropped, 0 folded, 0 duplicates'
}

@test "survey spec: an answer that is a label, not a number, rejects its row" {
	work
	printf '%s\n' 'Timestamp,How likely are you to recommend us to a friend? (0-10),How satisfied are you with your purchase?' \
	    '3/18/2024 9:05:11,10 - Extremely likely,5' >g.csv
	run -1 --separate-stderr normalize g.csv --spec "$FIXTURES/surveys/google_forms.json"
	assert_output ''
	assert_stderr "kpi-normalize: g.csv:2: field 'nps_score': '10 - Extremely likely' is not integer"
}
