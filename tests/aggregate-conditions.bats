#!/usr/bin/env bats
# kpi-aggregate's conditional reducers, count_if(cond) and share_if(cond),
# and the catalogue KPIs built on them: NPS and CSAT over survey answers,
# the share of 4 and 5 star reviews, the average rating and its goal.
# Inputs are the samples of tests/fixtures (presets/*_reviews.csv,
# surveys/*) through kpi-extract and kpi-normalize; every expected value
# is worked out by hand beside its test.

load test_helper

setup() {
	work
	KPIS=$KPI_ROOT/pipelines/kpis.json
}

PCT=',"format":"percent"'
LOWER=',"direction":"lower"'

# pt METRIC PERIOD DIMS VALUE [EXTRA]: a point of the weeks 2024-W10 and
# W11, the months 2024-01 to 2024-03, or "all".
pt() {
	local s e
	case $2 in
	2024-W10) s=2024-03-04 e=2024-03-11 ;;
	2024-W11) s=2024-03-11 e=2024-03-18 ;;
	2024-W12) s=2024-03-18 e=2024-03-25 ;;
	2024-01) s=2024-01-01 e=2024-02-01 ;;
	2024-02) s=2024-02-01 e=2024-03-01 ;;
	2024-03) s=2024-03-01 e=2024-04-01 ;;
	all)
		printf '{"metric":"%s","period":"all","start":null,"end":null,"dims":%s,"value":%s%s}\n' \
		    "$1" "$3" "$4" "$5"
		return
		;;
	esac
	printf '{"metric":"%s","period":"%s","start":"%sT00:00:00Z","end":"%sT00:00:00Z","dims":%s,"value":%s%s}\n' \
	    "$1" "$2" "$s" "$e" "$3" "$4" "$5"
}

# typeform: the typed rows of the Typeform sample into tf.ndjson.
typeform() {
	kpi-extract "$FIXTURES/surveys/typeform_responses.csv" |
	    kpi-normalize --spec "$FIXTURES/surveys/typeform.json" >tf.ndjson
	[ "$(wc -l <tf.ndjson)" -eq 10 ]
}

# --- the reducers --------------------------------------------------------

@test "count_if, share_if: comparisons, nulls and booleans by hand" {
	# s: 10, 9, 6, null, 7, absent, 4.5: 5 values.  s >= 9: 2 of 5; s <= 6:
	# 2 (6 and 4.5); s == 7: 1; s != 7: 4.  ok: true, false, true, null:
	# 2 of 3.  Only values count, so the null and absent s are no answer.
	printf '%s\n' \
	    '{"time":"2024-03-04T10:00:00Z","s":10,"ok":true}' \
	    '{"time":"2024-03-04T11:00:00Z","s":9,"ok":false}' \
	    '{"time":"2024-03-05T10:00:00Z","s":6,"ok":true}' \
	    '{"time":"2024-03-05T11:00:00Z","s":null,"ok":null}' \
	    '{"time":"2024-03-06T10:00:00Z","s":7}' \
	    '{"time":"2024-03-06T11:00:00Z"}' \
	    '{"time":"2024-03-07T10:00:00Z","s":4.5}' >t.ndjson
	run -0 --separate-stderr kpi-aggregate --every all \
	    -m 'p=count_if(s >= 9)' -m 'd=count_if(s<=6)' -m 'e=count_if( s == 7 )' \
	    -m 'ne=count_if(s != 7)' -m 'lt=count_if(s < -1e1)' \
	    -m 'hi=share_if(s >= 9)' -m 'ok=share_if(ok)' -m 'okn=count_if(ok)' t.ndjson
	assert_stderr ''
	assert_output "$(
		pt p all '{}' 2; pt d all '{}' 2; pt e all '{}' 1; pt ne all '{}' 4
		pt lt all '{}' 0; pt hi all '{}' 0.4
		pt ok all '{}' 0.6666666666666666; pt okn all '{}' 2
	)"
}

@test "count_if, share_if: a bare number is true when not 0; no values: a count of 0, a share of null" {
	printf '%s\n' \
	    '{"time":"2024-03-04T10:00:00Z","n":2}' \
	    '{"time":"2024-03-04T11:00:00Z","n":0}' \
	    '{"time":"2024-03-04T12:00:00Z","n":-0.5}' >t.ndjson
	run -0 --separate-stderr kpi-aggregate --every all \
	    -m 'c=count_if(n)' -m 's=share_if(n)' -m 'z=count_if(m > 1)' \
	    -m 'zs=share_if(m > 1)' t.ndjson
	assert_stderr ''
	assert_output "$(
		pt c all '{}' 2; pt s all '{}' 0.6666666666666666
		pt z all '{}' 0; pt zs all '{}' null
	)"
}

@test "count_if, share_if: a value the condition cannot test rejects its row" {
	printf '%s\n' \
	    '{"time":"2024-03-04T10:00:00Z","s":"ten","_src":"t.csv","_line":2}' \
	    '{"time":"2024-03-04T11:00:00Z","s":true,"_src":"t.csv","_line":3}' \
	    '{"time":"2024-03-04T12:00:00Z","s":9,"f":"yes","_src":"t.csv","_line":4}' \
	    '{"time":"2024-03-04T13:00:00Z","s":10,"_src":"t.csv","_line":5}' >t.ndjson
	run -1 --separate-stderr kpi-aggregate --every all -m 'p=count_if(s >= 9)' t.ndjson
	assert_output "$(pt p all '{}' 2)"
	assert_stderr "kpi-aggregate: t.csv:2: field 's': 'ten' is not a number
kpi-aggregate: t.csv:3: field 's': true is not a number"
	run -1 --separate-stderr kpi-aggregate --every all -m 'f=share_if(f)' t.ndjson
	assert_output "$(pt f all '{}' null)"
	assert_stderr "kpi-aggregate: t.csv:4: field 'f': 'yes' is not a boolean or number"
}

@test "count_if, share_if: bad conditions name the metric and the column" {
	: >t.ndjson
	run -2 --separate-stderr kpi-aggregate -m 'p=count_if(score = 9)' t.ndjson
	assert_output ''
	assert_stderr "kpi-aggregate: -m: p: '=' is not a comparison: write '==' at column 16"
	run -2 --separate-stderr kpi-aggregate -m 'p=count_if(score >= )' t.ndjson
	assert_stderr "kpi-aggregate: -m: p: expected a number at column 19"
	run -2 --separate-stderr kpi-aggregate -m 'p=share_if(9 <= score)' t.ndjson
	assert_stderr "kpi-aggregate: -m: p: unexpected '9' at column 10"
	run -2 --separate-stderr kpi-aggregate -m 'p=share_if()' t.ndjson
	assert_stderr "kpi-aggregate: -m: p: empty condition at column 10"
	run -2 --separate-stderr kpi-aggregate -m 'p=share_if(score > 1' t.ndjson
	assert_stderr "kpi-aggregate: -m: p: expected ')' after 'share_if(' at column 19"
	run -2 --separate-stderr kpi-aggregate -m 'p=count_if(a > 1 and b > 2)' t.ndjson
	assert_stderr "kpi-aggregate: -m: p: unexpected 'and' at column 16"
	# A call inside an expression is refused as sum's is: a ratio of two
	# conditions is a formula over two metrics.
	run -2 --separate-stderr kpi-aggregate -m 'p=count_if(a > 1) / count()' t.ndjson
	assert_stderr "kpi-aggregate: -m: p: unknown function 'count_if' at column 1"
	run -2 --separate-stderr kpi-aggregate -m 'p=sum(a) / count()' t.ndjson
	assert_stderr "kpi-aggregate: -m: p: unknown function 'sum' at column 1"
	# In a catalogue, the place is the formula's.
	printf '%s\n' '{"kpis": [' \
	    '  {"name": "promoters", "formula": "count_if(nps >= nine)"}' ']}' >k.json
	run -2 --separate-stderr kpi-aggregate --defs k.json t.ndjson
	assert_stderr "kpi-aggregate: k.json:2:36: promoters: unexpected 'nine' at column 17"
}

@test "count_if, share_if: --partial states are integers, and a bad one does not merge" {
	printf '%s\n' \
	    '{"time":"2024-03-04T10:00:00Z","s":10}' \
	    '{"time":"2024-03-04T11:00:00Z","s":3}' \
	    '{"time":"2024-03-04T12:00:00Z","s":null}' >t.ndjson
	run -0 --separate-stderr kpi-aggregate --every all --partial \
	    -m 'p=count_if(s >= 9)' -m 'h=share_if(s >= 9)' t.ndjson
	assert_stderr ''
	assert_output "$(
		pt p all '{}' 1 ',"state":{"p":{"n":1}}'
		pt h all '{}' 0.5 ',"state":{"h":{"n":2,"k":1}}'
	)"
	printf '%s\n' "${lines[1]/\"k\":1/\"k\":3}" >bad.p
	run -2 --separate-stderr kpi-aggregate --merge --every all \
	    -m 'h=share_if(s >= 9)' bad.p
	assert_output ''
	assert_stderr "kpi-aggregate: bad.p:1: metric 'h': bad state for share_if"
}

# --- NPS and CSAT: the catalogue over the Typeform sample ---------------

# The answers (NPS, CSAT, channel), the partial response dropped:
#   W10: 10 5 email, 9 4 email, 8 4 ads, 6 2 ads, 0 1 ads
#   W11: 7 - email, - 5 email, 10 5 ads, 9 3 email, 3 4 ads
# NPS counts promoters (9, 10) and detractors (0-6) among the answers:
#   W10: 5 answers, 2 promoters, 2 detractors: 100 * 0 / 5 = 0
#   W11: 4 answers (one skipped), 2 and 1: 100 * 1 / 4 = 25
#   ads W10: 3, 0 and 2: -66.67; ads W11: 2, 1 and 1: 0
#   email W10: 2, 2 and 0: 100; email W11: 2 (7, 9), 1 and 0: 50
# CSAT is the share of 4 and 5 among the answers:
#   W10: 5, 4, 4 of 5: 0.6; W11: 5, 5, 4 of 4 (3 left out): 0.75
#   ads W10: 1 of 3; ads W11: 2 of 2; email W10: 2 of 2; email W11: 1 of 2
@test "nps, csat: by week, by channel with --total, by hand" {
	typeform
	run -0 --separate-stderr kpi-aggregate --defs "$KPIS" --every week \
	    --by channel --total --metrics nps_responses,promoters,detractors,nps,csat tf.ndjson
	assert_stderr ''
	assert_output "$(
		pt nps_responses 2024-W10 '{}' 5; pt nps_responses 2024-W11 '{}' 4
		pt nps_responses 2024-W10 '{"channel":"ads"}' 3
		pt nps_responses 2024-W11 '{"channel":"ads"}' 2
		pt nps_responses 2024-W10 '{"channel":"email"}' 2
		pt nps_responses 2024-W11 '{"channel":"email"}' 2
		pt promoters 2024-W10 '{}' 2; pt promoters 2024-W11 '{}' 2
		pt promoters 2024-W10 '{"channel":"ads"}' 0
		pt promoters 2024-W11 '{"channel":"ads"}' 1
		pt promoters 2024-W10 '{"channel":"email"}' 2
		pt promoters 2024-W11 '{"channel":"email"}' 1
		pt detractors 2024-W10 '{}' 2 "$LOWER"
		pt detractors 2024-W11 '{}' 1 "$LOWER"
		pt detractors 2024-W10 '{"channel":"ads"}' 2 "$LOWER"
		pt detractors 2024-W11 '{"channel":"ads"}' 1 "$LOWER"
		pt detractors 2024-W10 '{"channel":"email"}' 0 "$LOWER"
		pt detractors 2024-W11 '{"channel":"email"}' 0 "$LOWER"
		pt nps 2024-W10 '{}' 0; pt nps 2024-W11 '{}' 25
		pt nps 2024-W10 '{"channel":"ads"}' -66.66666666666667
		pt nps 2024-W11 '{"channel":"ads"}' 0
		pt nps 2024-W10 '{"channel":"email"}' 100
		pt nps 2024-W11 '{"channel":"email"}' 50
		pt csat 2024-W10 '{}' 0.6 "$PCT"; pt csat 2024-W11 '{}' 0.75 "$PCT"
		pt csat 2024-W10 '{"channel":"ads"}' 0.3333333333333333 "$PCT"
		pt csat 2024-W11 '{"channel":"ads"}' 1 "$PCT"
		pt csat 2024-W10 '{"channel":"email"}' 1 "$PCT"
		pt csat 2024-W11 '{"channel":"email"}' 0.5 "$PCT"
	)"
}

@test "nps, csat: the month's total comes from its counts, not from the channels' scores" {
	# March: 9 NPS answers, 4 promoters, 3 detractors: 100 / 9 = 11.11,
	# not the mean of ads -40 (5, 1, 3) and email 75 (4, 3, 0), 17.5.
	# CSAT: 6 of 9 answers; ads 3 of 5, email 3 of 4.
	typeform
	run -0 --separate-stderr kpi-aggregate --defs "$KPIS" --every month \
	    --by channel --total --metrics nps,csat_responses,csat tf.ndjson
	assert_stderr ''
	assert_output "$(
		pt nps 2024-03 '{}' 11.11111111111111
		pt nps 2024-03 '{"channel":"ads"}' -40
		pt nps 2024-03 '{"channel":"email"}' 75
		pt csat_responses 2024-03 '{}' 9
		pt csat_responses 2024-03 '{"channel":"ads"}' 5
		pt csat_responses 2024-03 '{"channel":"email"}' 4
		pt csat 2024-03 '{}' 0.6666666666666666 "$PCT"
		pt csat 2024-03 '{"channel":"ads"}' 0.6 "$PCT"
		pt csat 2024-03 '{"channel":"email"}' 0.75 "$PCT"
	)"
}

@test "nps, csat: --partial over two parts, --merge: the bytes of one run" {
	typeform
	# Parts that are not consecutive: odd and even lines.
	awk 'NR % 2' tf.ndjson >a.ndjson
	awk 'NR % 2 == 0' tf.ndjson >b.ndjson
	for every in week month all; do
		kpi-aggregate --defs "$KPIS" --every $every --by channel --total \
		    --metrics promoters,detractors,nps,csat tf.ndjson >one
		kpi-aggregate --defs "$KPIS" --every $every --by channel --total \
		    --metrics promoters,detractors,nps,csat --partial a.ndjson >a.p
		kpi-aggregate --defs "$KPIS" --every $every --by channel --total \
		    --metrics promoters,detractors,nps,csat --partial b.ndjson >b.p
		run -0 --separate-stderr kpi-aggregate --defs "$KPIS" --merge \
		    --every $every --metrics promoters,detractors,nps,csat b.p a.p
		assert_stderr ''
		printf '%s\n' "$output" | diff -u one - || return 1
	done
	# The last, --every all, is the hand-computed 100 / 9.
	grep -qx '{"metric":"nps","period":"all",.*"dims":{},"value":11.11111111111111}' one
}

@test "nps, csat: --fill gives an empty week a count of 0 and a score of null" {
	typeform
	grep -v '"2024-03-1[1-5]' tf.ndjson >w10.ndjson
	run -0 --separate-stderr kpi-aggregate --defs "$KPIS" --every week \
	    --fill --to 2024-03-17 --metrics promoters,nps,csat w10.ndjson
	assert_stderr ''
	assert_output "$(
		pt promoters 2024-W10 '{}' 2; pt promoters 2024-W11 '{}' 0
		pt nps 2024-W10 '{}' 0; pt nps 2024-W11 '{}' null
		pt csat 2024-W10 '{}' 0.6 "$PCT"; pt csat 2024-W11 '{}' null "$PCT"
	)"
}

@test "nps, csat: Google Forms and SurveyMonkey samples by hand" {
	# Google Forms: 10, 4, 9, 8: 2 promoters, 1 detractor of 4: 25;
	# CSAT 5, 3, 4, 2: 2 of 4.  SurveyMonkey: 10, 6, 9, 9, 3 and a
	# skipped answer: 3 promoters, 2 detractors of 5: 20; no CSAT
	# question: null.
	kpi-extract "$FIXTURES/surveys/google_forms_responses.csv" |
	    kpi-normalize --spec "$FIXTURES/surveys/google_forms.json" >g.ndjson
	run -0 --separate-stderr kpi-aggregate --defs "$KPIS" --every all \
	    --metrics nps,csat g.ndjson
	assert_stderr ''
	assert_output "$(pt nps all '{}' 25; pt csat all '{}' 0.5 "$PCT")"
	kpi-extract "$FIXTURES/surveys/surveymonkey_responses.csv" |
	    kpi-normalize --spec "$FIXTURES/surveys/surveymonkey.json" >s.ndjson
	run -0 --separate-stderr kpi-aggregate --defs "$KPIS" --every all \
	    --metrics nps_responses,nps,csat s.ndjson
	assert_stderr ''
	assert_output "$(pt nps_responses all '{}' 5; pt nps all '{}' 20
	    pt csat all '{}' null "$PCT")"
}

# --- reviews -------------------------------------------------------------

# reviews: the four review samples, typed, into r.ndjson.
reviews() {
	local p
	for p in judgeme-reviews:judgeme shopify-product-reviews:shopify_product \
	    trustpilot-reviews:trustpilot yotpo-reviews:yotpo; do
		kpi-extract "$FIXTURES/presets/${p#*:}_reviews.csv" |
		    kpi-normalize --preset "${p%%:*}" || return 1
	done >r.ndjson
}

# The ratings by month (the spam rows dropped):
#   judgeme  Jan 5 4 5 5 5 (24 of 5)  Feb 3 5
#   shopify  Jan 5 4 2 (11)           Feb 5
#   trustpilot Jan 5 4 1 (10)         Feb 5 4
#   yotpo    Jan 5 4 2 (11)           Feb 5
# January: 56 / 14 = 4; 11 of 14 are 4 or 5.  February: 27 / 6 = 4.5;
# 5 of 6.  By platform: judgeme 4.8 and 4, shopify 3.67 and 5,
# trustpilot 3.33 and 4.5, yotpo 3.67 and 5.
@test "reviews: rating, reviews and the 4-5 star share of four apps' exports, by platform with --total" {
	reviews
	run -0 --separate-stderr kpi-aggregate --defs "$KPIS" --every month \
	    --by platform --total \
	    --metrics rating,reviews,positive_reviews,positive_review_rate r.ndjson
	assert_stderr ''
	assert_output "$(
		pt rating 2024-01 '{}' 4; pt rating 2024-02 '{}' 4.5
		pt rating 2024-01 '{"platform":"judgeme"}' 4.8
		pt rating 2024-02 '{"platform":"judgeme"}' 4
		pt rating 2024-01 '{"platform":"shopify"}' 3.6666666666666665
		pt rating 2024-02 '{"platform":"shopify"}' 5
		pt rating 2024-01 '{"platform":"trustpilot"}' 3.3333333333333335
		pt rating 2024-02 '{"platform":"trustpilot"}' 4.5
		pt rating 2024-01 '{"platform":"yotpo"}' 3.6666666666666665
		pt rating 2024-02 '{"platform":"yotpo"}' 5
		pt reviews 2024-01 '{}' 14; pt reviews 2024-02 '{}' 6
		pt reviews 2024-01 '{"platform":"judgeme"}' 5
		pt reviews 2024-02 '{"platform":"judgeme"}' 2
		pt reviews 2024-01 '{"platform":"shopify"}' 3
		pt reviews 2024-02 '{"platform":"shopify"}' 1
		pt reviews 2024-01 '{"platform":"trustpilot"}' 3
		pt reviews 2024-02 '{"platform":"trustpilot"}' 2
		pt reviews 2024-01 '{"platform":"yotpo"}' 3
		pt reviews 2024-02 '{"platform":"yotpo"}' 1
		pt positive_reviews 2024-01 '{}' 11; pt positive_reviews 2024-02 '{}' 5
		pt positive_reviews 2024-01 '{"platform":"judgeme"}' 5
		pt positive_reviews 2024-02 '{"platform":"judgeme"}' 1
		pt positive_reviews 2024-01 '{"platform":"shopify"}' 2
		pt positive_reviews 2024-02 '{"platform":"shopify"}' 1
		pt positive_reviews 2024-01 '{"platform":"trustpilot"}' 2
		pt positive_reviews 2024-02 '{"platform":"trustpilot"}' 2
		pt positive_reviews 2024-01 '{"platform":"yotpo"}' 2
		pt positive_reviews 2024-02 '{"platform":"yotpo"}' 1
		pt positive_review_rate 2024-01 '{}' 0.7857142857142857 "$PCT"
		pt positive_review_rate 2024-02 '{}' 0.8333333333333334 "$PCT"
		pt positive_review_rate 2024-01 '{"platform":"judgeme"}' 1 "$PCT"
		pt positive_review_rate 2024-02 '{"platform":"judgeme"}' 0.5 "$PCT"
		pt positive_review_rate 2024-01 '{"platform":"shopify"}' 0.6666666666666666 "$PCT"
		pt positive_review_rate 2024-02 '{"platform":"shopify"}' 1 "$PCT"
		pt positive_review_rate 2024-01 '{"platform":"trustpilot"}' 0.6666666666666666 "$PCT"
		pt positive_review_rate 2024-02 '{"platform":"trustpilot"}' 1 "$PCT"
		pt positive_review_rate 2024-01 '{"platform":"yotpo"}' 0.6666666666666666 "$PCT"
		pt positive_review_rate 2024-02 '{"platform":"yotpo"}' 1 "$PCT"
	)"
}

# The funnel's "rating above 4.5": an at_least 4.5 goal on the Judge.me
# sample's monthly rating.  January 24 / 5 = 4.8: met, gap 0.3 (as
# doubles, 4.8 - 4.5); February (3 + 5) / 2 = 4: missed, gap -0.5.  Both
# months are closed at the clock, the end of February.
@test "reviews: extract | normalize --preset judgeme-reviews | aggregate | kpi-goal: the rating goal met, then missed" {
	printf '%s\n' '{"goals": [{"name": "rating", "metric": "rating", "kind": "at_least", "target": 4.5, "objective": "retention"}]}' >g.json
	run -1 --separate-stderr bash -c 'set -o pipefail
	    kpi-extract "$1" | kpi-normalize --preset judgeme-reviews |
	    kpi-aggregate --defs "$2" --metrics rating --every month |
	    kpi-goal --defs "$2" --goals g.json --check |
	    grep "\"goal\":{\"name\":\"rating\""' sh "$FIXTURES/presets/judgeme_reviews.csv" "$KPIS"
	assert_output "$(
		pt rating 2024-01 '{}' 4.8 ',"goal":{"name":"rating","kind":"at_least","direction":"higher","target":4.5},"status":"met","target":4.5,"gap":0.3,"progress":null,"expected":1,"projected":null,"projection":null,"projection_points":null'
		pt rating 2024-02 '{}' 4 ',"goal":{"name":"rating","kind":"at_least","direction":"higher","target":4.5},"status":"missed","target":4.5,"gap":-0.5,"progress":null,"expected":1,"projected":null,"projection":null,"projection_points":null'
	)"
	[[ $stderr == *"kpi-goal: goal 'rating' {} 2024-02: value 4, target 4.5: missed"* ]]
}

@test "reviews: the shipped catalogue's rating_45 goal over all four samples" {
	# January 4: missed by 0.5; February 4.5: met, at the target.
	reviews
	run -0 --separate-stderr bash -c 'kpi-aggregate --defs "$1" --metrics rating \
	    --every month r.ndjson | kpi-goal --defs "$1" |
	    grep "\"name\":\"rating_45\"" | sed "s/,\"progress\".*/}/"' sh "$KPIS"
	assert_output "$(
		pt rating 2024-01 '{}' 4 ',"goal":{"name":"rating_45","kind":"at_least","direction":"higher","target":4.5},"status":"missed","target":4.5,"gap":-0.5'
		pt rating 2024-02 '{}' 4.5 ',"goal":{"name":"rating_45","kind":"at_least","direction":"higher","target":4.5},"status":"met","target":4.5,"gap":0'
	)"
}

@test "reviews: the bundled Judge.me sample's week meets the rating goal of the shipped catalogue" {
	# pipelines/samples/judgeme_reviews.csv, 4-10 March 2024: 5 4 5 5 5 4 5
	# and a spam row dropped: 33 / 7 = 4.714..., at least 4.5: met.
	run -0 --separate-stderr bash -c 'set -o pipefail
	    kpi-extract "$1/pipelines/samples/judgeme_reviews.csv" |
	    kpi-normalize --preset judgeme-reviews |
	    kpi-aggregate --defs "$1/pipelines/kpis.json" --metrics rating,reviews |
	    kpi-goal --defs "$1/pipelines/kpis.json" |
	    grep -F -e "\"name\":\"rating_45\"" -e "\"metric\":\"reviews\""' sh "$KPI_ROOT"
	assert_stderr ''
	assert_output "$(
		pt rating 2024-W10 '{}' 4.714285714285714 ',"goal":{"name":"rating_45","kind":"at_least","direction":"higher","target":4.5},"status":"met","target":4.5,"gap":0.2142857142857144,"progress":null,"expected":1,"projected":null,"projection":null,"projection_points":null'
		pt reviews 2024-W10 '{}' 7
	)"
}
