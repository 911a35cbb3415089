/*
 * channel_test.c - GA4's default channel groups (lib/normalize/channel.c):
 * names and their spellings, the rules in their order, the source list,
 * and utm_* keys in an order's notes.
 */
#include <string.h>

#include "kpi.h"
#include "unit.h"

static const struct {
	const char *in, *want;		/* want NULL: names no channel */
} name_cases[] = {
	{ "Organic Search", "Organic Search" },
	{ "organic search", "Organic Search" },
	{ "  PAID SOCIAL ", "Paid Social" },
	{ "Social", "Organic Social" },			/* Universal Analytics */
	{ "Other Advertising", "Paid Other" },
	{ "(not set)", "Unassigned" },
	{ "Cross-network", "Cross-network" },
	{ "Search", "Paid Search" },			/* Google Ads types */
	{ "Performance Max", "Cross-network" },
	{ "Demand Gen", "Cross-network" },
	{ "Shopping", "Paid Shopping" },
	{ "Video", "Paid Video" },
	{ "Display", "Display" },
	{ "SMS", "SMS" },
	{ "Push", "Mobile Push Notifications" },
	{ "Mobile Push Notifications", "Mobile Push Notifications" },
	{ "(other)", NULL },				/* GA4's row limit */
	{ "Newsletter", NULL },
	{ "", NULL },
};

static const struct {
	const char *source, *medium, *campaign, *want;
} rule_cases[] = {
	{ "(direct)", "(none)", "", "Direct" },
	{ "(direct)", "(not set)", "", "Direct" },
	{ "(direct)", "", "", "Unassigned" },		/* no medium: not Direct */
	{ "google", "cpc", "x-cross-network-y", "Cross-network" },
	{ "google", "cpc", "", "Paid Search" },
	{ "Google", "CPC", "", "Paid Search" },		/* case ignored */
	{ "bing", "ppc", "", "Paid Search" },
	{ "facebook", "paid_social", "", "Paid Social" },
	{ "ig", "cpm", "", "Paid Social" },		/* before Display */
	{ "youtube.com", "cpv", "", "Paid Video" },
	{ "amazon", "cpc", "", "Paid Shopping" },
	{ "newsletter", "cpc", "summer_shop", "Paid Shopping" },
	{ "newsletter", "cpc", "eshop", "Paid Shopping" },	/* e before */
	{ "newsletter", "cpc", "workshop", "Paid Other" },	/* k before */
	{ "criteo", "display", "", "Display" },
	{ "criteo", "banner", "", "Display" },
	{ "criteo", "retargeting", "", "Paid Other" },
	{ "criteo", "paid", "", "Paid Other" },
	{ "etsy.com", "referral", "", "Organic Shopping" },
	{ "x", "", "Shopping week", "Organic Shopping" },
	{ "t.co", "referral", "", "Organic Social" },
	{ "mastodon", "social-media", "", "Organic Social" },
	{ "tiktok", "", "", "Organic Social" },
	{ "vimeo", "referral", "", "Organic Video" },
	{ "x", "video_promo", "", "Organic Video" },
	{ "duckduckgo", "referral", "", "Organic Search" },
	{ "x", "organic", "", "Organic Search" },
	{ "example.com", "referral", "", "Referral" },
	{ "example.com", "link", "", "Referral" },
	{ "Klaviyo", "email", "", "Email" },
	{ "e-mail", "", "", "Email" },
	{ "x", "e mail", "", "Email" },
	{ "x", "affiliate", "", "Affiliates" },
	{ "x", "audio", "", "Audio" },
	{ "sms", "", "", "SMS" },
	{ "x", "sms", "", "SMS" },
	{ "x", "web-push", "", "Mobile Push Notifications" },
	{ "x", "mobile", "", "Mobile Push Notifications" },
	{ "firebase", "", "", "Mobile Push Notifications" },
	{ "web", "", "", "Unassigned" },		/* Shopify's Source */
	{ "", "", "", "Unassigned" },
	/* Both ends and the middle of the sorted source list. */
	{ "360.cn", "organic", "", "Organic Search" },
	{ "zooppa.com", "", "", "Organic Social" },
	{ "Google Shopping", "", "", "Organic Shopping" },
	{ "IGShopping", "cpc", "", "Paid Shopping" },
	{ "messages.yahoo.co.jp", "", "", "Organic Social" },
	{ "zen.yandex.ru", "", "", "Organic Search" },
	{ "youtube.com.", "", "", "Unassigned" },	/* exact entries only */
};

static const struct {
	const char *text, *key, *want;		/* want NULL: none */
} utm_cases[] = {
	{ "utm_source: newsletter\nutm_medium: email", "utm_source",
	    "newsletter" },
	{ "utm_source: newsletter\nutm_medium: email", "utm_medium", "email" },
	{ "utm_source: newsletter\r\nutm_medium: email", "utm_source",
	    "newsletter" },
	{ "_elevar_visitor_info: {\"session_id\":\"1\",\"utm_source\":\"Klaviyo\","
	    "\"utm_medium\":\"email\"}", "utm_medium", "email" },
	{ "landing_site: /?utm_source=google&utm_medium=cpc", "utm_medium",
	    "cpc" },
	{ "landing_site: /?utm_source=google&utm_medium=cpc", "utm_source",
	    "google" },
	{ "x_utm_source: a\nutm_source: b", "utm_source", "b" },
	{ "utm_source_platform: a", "utm_source", NULL },
	{ "utm_source:", "utm_source", NULL },
	{ "created_at: 1639983837\nmc_cid: 63c528caa1", "utm_source", NULL },
	{ "", "utm_source", NULL },
};

int
main(void)
{
	const char *got, *v;
	size_t i, vlen;
	char ctx[200], buf[200];

	for (i = 0; i < sizeof(name_cases) / sizeof(name_cases[0]); i++) {
		got = kpi_channel_name(name_cases[i].in,
		    strlen(name_cases[i].in));
		snprintf(ctx, sizeof(ctx), "name '%s'", name_cases[i].in);
		CHECK_STR(got ? got : "(none)", name_cases[i].want ?
		    name_cases[i].want : "(none)", ctx);
	}
	for (i = 0; i < sizeof(rule_cases) / sizeof(rule_cases[0]); i++) {
		got = kpi_channel_rules(rule_cases[i].source,
		    strlen(rule_cases[i].source), rule_cases[i].medium,
		    strlen(rule_cases[i].medium), rule_cases[i].campaign,
		    strlen(rule_cases[i].campaign));
		snprintf(ctx, sizeof(ctx), "rules '%s' / '%s' / '%s'",
		    rule_cases[i].source, rule_cases[i].medium,
		    rule_cases[i].campaign);
		CHECK_STR(got, rule_cases[i].want, ctx);
	}
	for (i = 0; i < sizeof(utm_cases) / sizeof(utm_cases[0]); i++) {
		snprintf(ctx, sizeof(ctx), "utm %s in '%s'", utm_cases[i].key,
		    utm_cases[i].text);
		if (kpi_channel_utm(utm_cases[i].text,
		    strlen(utm_cases[i].text), utm_cases[i].key, &v,
		    &vlen) == 0)
			snprintf(buf, sizeof(buf), "%.*s", (int)vlen, v);
		else
			snprintf(buf, sizeof(buf), "(none)");
		CHECK_STR(buf, utm_cases[i].want ? utm_cases[i].want :
		    "(none)", ctx);
	}
	return unit_done();
}
