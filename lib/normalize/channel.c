/*
 * channel.c - GA4's default channel groups: the canonical channel of a row,
 * so that orders, sessions and ad spend meet under one "channel" value.
 *
 * Three ways in, each a table compiled in:
 *
 *  - a channel group as a platform writes it (GA4's "Session default
 *    channel group" column, older or other spellings, Google Ads' campaign
 *    types) to GA4's name for it: kpi_channel_name;
 *  - a source, medium and campaign (UTM parameters) through GA4's default
 *    channel rules for manual traffic, in GA4's order, first match wins:
 *    kpi_channel_rules;
 *  - the UTM parameters that shop apps write into an order's notes
 *    ("utm_source: x" lines, JSON, or a landing URL): kpi_channel_utm.
 *
 * GA4 matches without regard to case, so do we.  Its rules match sources
 * against Google's published list of source categories (the one Google
 * offers for download beside the rules, "SOURCE_CATEGORY_*"), copied into
 * the table below, lower-cased and sorted bytewise for a binary search;
 * the few regexes of the rules are written out by hand as the string tests
 * they amount to, which is faster and needs no regex library at run time.
 * Source: support.google.com/analytics/answer/9756891, "[GA4] Default
 * channel group", channels for manual traffic.
 */
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "normalize/normalize.h"

enum srccat { SRC_NONE, SRC_SEARCH, SRC_SHOPPING, SRC_SOCIAL, SRC_VIDEO };

/* Google's source categories: bytewise sorted, lower case. */
static const struct {
	const char *name;
	enum srccat cat;
} sources[] = {
	{ "360.cn", SRC_SEARCH },
	{ "43things", SRC_SOCIAL },
	{ "43things.com", SRC_SOCIAL },
	{ "51.com", SRC_SOCIAL },
	{ "5ch.net", SRC_SOCIAL },
	{ "aax-us-east.amazon-adsystem.com", SRC_SHOPPING },
	{ "aax.amazon-adsystem.com", SRC_SHOPPING },
	{ "academia.edu", SRC_SOCIAL },
	{ "activerain", SRC_SOCIAL },
	{ "activerain.com", SRC_SOCIAL },
	{ "activeworlds", SRC_SOCIAL },
	{ "activeworlds.com", SRC_SOCIAL },
	{ "addthis", SRC_SOCIAL },
	{ "addthis.com", SRC_SOCIAL },
	{ "airg.ca", SRC_SOCIAL },
	{ "alibaba", SRC_SHOPPING },
	{ "alibaba.com", SRC_SHOPPING },
	{ "alice", SRC_SEARCH },
	{ "allnurses.com", SRC_SOCIAL },
	{ "allrecipes.com", SRC_SOCIAL },
	{ "alumniclass", SRC_SOCIAL },
	{ "alumniclass.com", SRC_SOCIAL },
	{ "amazon", SRC_SHOPPING },
	{ "amazon.co.uk", SRC_SHOPPING },
	{ "amazon.com", SRC_SHOPPING },
	{ "ameba.jp", SRC_SOCIAL },
	{ "ameblo.jp", SRC_SOCIAL },
	{ "americantowns", SRC_SOCIAL },
	{ "americantowns.com", SRC_SOCIAL },
	{ "amp.reddit.com", SRC_SOCIAL },
	{ "ancestry.com", SRC_SOCIAL },
	{ "anobii", SRC_SOCIAL },
	{ "anobii.com", SRC_SOCIAL },
	{ "answerbag", SRC_SOCIAL },
	{ "answerbag.com", SRC_SOCIAL },
	{ "answers.yahoo.com", SRC_SOCIAL },
	{ "aol", SRC_SEARCH },
	{ "aolanswers", SRC_SOCIAL },
	{ "aolanswers.com", SRC_SOCIAL },
	{ "apps.facebook.com", SRC_SOCIAL },
	{ "apps.shopify.com", SRC_SHOPPING },
	{ "ar.pinterest.com", SRC_SOCIAL },
	{ "ar.search.yahoo.com", SRC_SEARCH },
	{ "artstation.com", SRC_SOCIAL },
	{ "ask", SRC_SEARCH },
	{ "askubuntu", SRC_SOCIAL },
	{ "askubuntu.com", SRC_SOCIAL },
	{ "asmallworld.com", SRC_SOCIAL },
	{ "at.search.yahoo.com", SRC_SEARCH },
	{ "athlinks", SRC_SOCIAL },
	{ "athlinks.com", SRC_SOCIAL },
	{ "au.search.yahoo.com", SRC_SEARCH },
	{ "auone", SRC_SEARCH },
	{ "avg", SRC_SEARCH },
	{ "away.vk.com", SRC_SOCIAL },
	{ "awe.sm", SRC_SOCIAL },
	{ "b.hatena.ne.jp", SRC_SOCIAL },
	{ "baby-gaga", SRC_SOCIAL },
	{ "baby-gaga.com", SRC_SOCIAL },
	{ "babyblog.ru", SRC_SOCIAL },
	{ "babylon", SRC_SEARCH },
	{ "badoo", SRC_SOCIAL },
	{ "badoo.com", SRC_SOCIAL },
	{ "baidu", SRC_SEARCH },
	{ "bebo", SRC_SOCIAL },
	{ "bebo.com", SRC_SOCIAL },
	{ "beforeitsnews", SRC_SOCIAL },
	{ "beforeitsnews.com", SRC_SOCIAL },
	{ "bharatstudent", SRC_SOCIAL },
	{ "bharatstudent.com", SRC_SOCIAL },
	{ "biglobe", SRC_SEARCH },
	{ "biglobe.co.jp", SRC_SEARCH },
	{ "biglobe.ne.jp", SRC_SEARCH },
	{ "biip.no", SRC_SOCIAL },
	{ "bing", SRC_SEARCH },
	{ "biswap.org", SRC_SOCIAL },
	{ "bit.ly", SRC_SOCIAL },
	{ "blackcareernetwork.com", SRC_SOCIAL },
	{ "blackplanet", SRC_SOCIAL },
	{ "blackplanet.com", SRC_SOCIAL },
	{ "blip.fm", SRC_SOCIAL },
	{ "blog.com", SRC_SOCIAL },
	{ "blog.feedspot.com", SRC_SOCIAL },
	{ "blog.goo.ne.jp", SRC_SOCIAL },
	{ "blog.naver.com", SRC_SOCIAL },
	{ "blog.twitch.tv", SRC_VIDEO },
	{ "blog.yahoo.co.jp", SRC_SOCIAL },
	{ "blogg.no", SRC_SOCIAL },
	{ "bloggang.com", SRC_SOCIAL },
	{ "blogger", SRC_SOCIAL },
	{ "blogger.com", SRC_SOCIAL },
	{ "blogher", SRC_SOCIAL },
	{ "blogher.com", SRC_SOCIAL },
	{ "bloglines", SRC_SOCIAL },
	{ "bloglines.com", SRC_SOCIAL },
	{ "blogs.com", SRC_SOCIAL },
	{ "blogsome", SRC_SOCIAL },
	{ "blogsome.com", SRC_SOCIAL },
	{ "blogspot", SRC_SOCIAL },
	{ "blogspot.com", SRC_SOCIAL },
	{ "blogster", SRC_SOCIAL },
	{ "blogster.com", SRC_SOCIAL },
	{ "blurtit", SRC_SOCIAL },
	{ "blurtit.com", SRC_SOCIAL },
	{ "bookmarks.yahoo.co.jp", SRC_SOCIAL },
	{ "bookmarks.yahoo.com", SRC_SOCIAL },
	{ "br.pinterest.com", SRC_SOCIAL },
	{ "br.search.yahoo.com", SRC_SEARCH },
	{ "brightkite", SRC_SOCIAL },
	{ "brightkite.com", SRC_SOCIAL },
	{ "brizzly", SRC_SOCIAL },
	{ "brizzly.com", SRC_SOCIAL },
	{ "business.facebook.com", SRC_SOCIAL },
	{ "buzzfeed", SRC_SOCIAL },
	{ "buzzfeed.com", SRC_SOCIAL },
	{ "buzznet", SRC_SOCIAL },
	{ "buzznet.com", SRC_SOCIAL },
	{ "ca.search.yahoo.com", SRC_SEARCH },
	{ "cafe.naver.com", SRC_SOCIAL },
	{ "cafemom", SRC_SOCIAL },
	{ "cafemom.com", SRC_SOCIAL },
	{ "camospace", SRC_SOCIAL },
	{ "camospace.com", SRC_SOCIAL },
	{ "canalblog.com", SRC_SOCIAL },
	{ "care.com", SRC_SOCIAL },
	{ "care2", SRC_SOCIAL },
	{ "care2.com", SRC_SOCIAL },
	{ "caringbridge.org", SRC_SOCIAL },
	{ "catster", SRC_SOCIAL },
	{ "catster.com", SRC_SOCIAL },
	{ "cbnt.io", SRC_SOCIAL },
	{ "cellufun", SRC_SOCIAL },
	{ "cellufun.com", SRC_SOCIAL },
	{ "centerblog.net", SRC_SOCIAL },
	{ "centrum.cz", SRC_SEARCH },
	{ "ch.search.yahoo.com", SRC_SEARCH },
	{ "chat.zalo.me", SRC_SOCIAL },
	{ "checkout.shopify.com", SRC_SHOPPING },
	{ "checkout.stripe.com", SRC_SHOPPING },
	{ "chegg.com", SRC_SOCIAL },
	{ "chicagonow", SRC_SOCIAL },
	{ "chicagonow.com", SRC_SOCIAL },
	{ "chiebukuro.yahoo.co.jp", SRC_SOCIAL },
	{ "cl.search.yahoo.com", SRC_SEARCH },
	{ "classmates", SRC_SOCIAL },
	{ "classmates.com", SRC_SOCIAL },
	{ "classquest", SRC_SOCIAL },
	{ "classquest.com", SRC_SOCIAL },
	{ "cn.bing.com", SRC_SEARCH },
	{ "cnn", SRC_SEARCH },
	{ "co.pinterest.com", SRC_SOCIAL },
	{ "co.search.yahoo.com", SRC_SEARCH },
	{ "cocolog-nifty", SRC_SOCIAL },
	{ "cocolog-nifty.com", SRC_SOCIAL },
	{ "comcast", SRC_SEARCH },
	{ "conduit", SRC_SEARCH },
	{ "copainsdavant.linternaute.com", SRC_SOCIAL },
	{ "couchsurfing.org", SRC_SOCIAL },
	{ "cozycot", SRC_SOCIAL },
	{ "cozycot.com", SRC_SOCIAL },
	{ "cr.shopping.naver.com", SRC_SHOPPING },
	{ "cr2.shopping.naver.com", SRC_SHOPPING },
	{ "crackle", SRC_VIDEO },
	{ "crackle.com", SRC_VIDEO },
	{ "cross.tv", SRC_SOCIAL },
	{ "crunchyroll", SRC_SOCIAL },
	{ "crunchyroll.com", SRC_SOCIAL },
	{ "cse.google.com", SRC_SEARCH },
	{ "curiositystream", SRC_VIDEO },
	{ "curiositystream.com", SRC_VIDEO },
	{ "cyworld", SRC_SOCIAL },
	{ "cyworld.com", SRC_SOCIAL },
	{ "cz.pinterest.com", SRC_SOCIAL },
	{ "d.hatena.ne.jp", SRC_SOCIAL },
	{ "d.tube", SRC_VIDEO },
	{ "dailymotion", SRC_VIDEO },
	{ "dailymotion.com", SRC_VIDEO },
	{ "dailystrength.org", SRC_SOCIAL },
	{ "dashboard.twitch.tv", SRC_VIDEO },
	{ "daum", SRC_SEARCH },
	{ "daum.net", SRC_SEARCH },
	{ "de.search.yahoo.com", SRC_SEARCH },
	{ "deluxe.com", SRC_SOCIAL },
	{ "deviantart", SRC_SOCIAL },
	{ "deviantart.com", SRC_SOCIAL },
	{ "dianping", SRC_SOCIAL },
	{ "dianping.com", SRC_SOCIAL },
	{ "digg", SRC_SOCIAL },
	{ "digg.com", SRC_SOCIAL },
	{ "diigo", SRC_SOCIAL },
	{ "diigo.com", SRC_SOCIAL },
	{ "discover.hubpages.com", SRC_SOCIAL },
	{ "disneyplus", SRC_VIDEO },
	{ "disneyplus.com", SRC_VIDEO },
	{ "disqus", SRC_SOCIAL },
	{ "disqus.com", SRC_SOCIAL },
	{ "dk.search.yahoo.com", SRC_SEARCH },
	{ "dogpile", SRC_SEARCH },
	{ "dogpile.com", SRC_SEARCH },
	{ "dogster", SRC_SOCIAL },
	{ "dogster.com", SRC_SOCIAL },
	{ "dol2day", SRC_SOCIAL },
	{ "dol2day.com", SRC_SOCIAL },
	{ "doostang", SRC_SOCIAL },
	{ "doostang.com", SRC_SOCIAL },
	{ "dopplr", SRC_SOCIAL },
	{ "dopplr.com", SRC_SOCIAL },
	{ "douban", SRC_SOCIAL },
	{ "douban.com", SRC_SOCIAL },
	{ "draft.blogger.com", SRC_SOCIAL },
	{ "draugiem.lv", SRC_SOCIAL },
	{ "drugs-forum", SRC_SOCIAL },
	{ "drugs-forum.com", SRC_SOCIAL },
	{ "duckduckgo", SRC_SEARCH },
	{ "dzone", SRC_SOCIAL },
	{ "dzone.com", SRC_SOCIAL },
	{ "ebay", SRC_SHOPPING },
	{ "ebay.co.uk", SRC_SHOPPING },
	{ "ebay.com", SRC_SHOPPING },
	{ "ebay.com.au", SRC_SHOPPING },
	{ "ebay.de", SRC_SHOPPING },
	{ "ecosia.org", SRC_SEARCH },
	{ "edublogs.org", SRC_SOCIAL },
	{ "elftown", SRC_SOCIAL },
	{ "elftown.com", SRC_SOCIAL },
	{ "email.seznam.cz", SRC_SEARCH },
	{ "eniro", SRC_SEARCH },
	{ "epicurious.com", SRC_SOCIAL },
	{ "es.search.yahoo.com", SRC_SEARCH },
	{ "espanol.search.yahoo.com", SRC_SEARCH },
	{ "etsy", SRC_SHOPPING },
	{ "etsy.com", SRC_SHOPPING },
	{ "everforo.com", SRC_SOCIAL },
	{ "exalead.com", SRC_SEARCH },
	{ "exblog.jp", SRC_SOCIAL },
	{ "excite.com", SRC_SEARCH },
	{ "extole", SRC_SOCIAL },
	{ "extole.com", SRC_SOCIAL },
	{ "facebook", SRC_SOCIAL },
	{ "facebook.com", SRC_SOCIAL },
	{ "faceparty", SRC_SOCIAL },
	{ "faceparty.com", SRC_SOCIAL },
	{ "fandom.com", SRC_SOCIAL },
	{ "fanpop", SRC_SOCIAL },
	{ "fanpop.com", SRC_SOCIAL },
	{ "fark", SRC_SOCIAL },
	{ "fark.com", SRC_SOCIAL },
	{ "fast.wistia.net", SRC_VIDEO },
	{ "fb", SRC_SOCIAL },
	{ "fb.me", SRC_SOCIAL },
	{ "fc2", SRC_SOCIAL },
	{ "fc2.com", SRC_SOCIAL },
	{ "feedspot", SRC_SOCIAL },
	{ "feministing", SRC_SOCIAL },
	{ "feministing.com", SRC_SOCIAL },
	{ "fi.search.yahoo.com", SRC_SEARCH },
	{ "filmaffinity", SRC_SOCIAL },
	{ "filmaffinity.com", SRC_SOCIAL },
	{ "firmy.cz", SRC_SEARCH },
	{ "flickr", SRC_SOCIAL },
	{ "flickr.com", SRC_SOCIAL },
	{ "flipboard", SRC_SOCIAL },
	{ "flipboard.com", SRC_SOCIAL },
	{ "folkdirect", SRC_SOCIAL },
	{ "folkdirect.com", SRC_SOCIAL },
	{ "foodservice", SRC_SOCIAL },
	{ "foodservice.com", SRC_SOCIAL },
	{ "forums.androidcentral.com", SRC_SOCIAL },
	{ "forums.crackberry.com", SRC_SOCIAL },
	{ "forums.imore.com", SRC_SOCIAL },
	{ "forums.nexopia.com", SRC_SOCIAL },
	{ "forums.webosnation.com", SRC_SOCIAL },
	{ "forums.wpcentral.com", SRC_SOCIAL },
	{ "fotki", SRC_SOCIAL },
	{ "fotki.com", SRC_SOCIAL },
	{ "fotolog", SRC_SOCIAL },
	{ "fotolog.com", SRC_SOCIAL },
	{ "foursquare", SRC_SOCIAL },
	{ "foursquare.com", SRC_SOCIAL },
	{ "fr.search.yahoo.com", SRC_SEARCH },
	{ "free.facebook.com", SRC_SOCIAL },
	{ "friendfeed", SRC_SOCIAL },
	{ "friendfeed.com", SRC_SOCIAL },
	{ "fruehstueckstreff.org", SRC_SOCIAL },
	{ "fubar", SRC_SOCIAL },
	{ "fubar.com", SRC_SOCIAL },
	{ "gaiaonline", SRC_SOCIAL },
	{ "gaiaonline.com", SRC_SOCIAL },
	{ "gamerdna", SRC_SOCIAL },
	{ "gamerdna.com", SRC_SOCIAL },
	{ "gather.com", SRC_SOCIAL },
	{ "geni.com", SRC_SOCIAL },
	{ "getpocket.com", SRC_SOCIAL },
	{ "glassboard", SRC_SOCIAL },
	{ "glassboard.com", SRC_SOCIAL },
	{ "glassdoor", SRC_SOCIAL },
	{ "glassdoor.com", SRC_SOCIAL },
	{ "globo", SRC_SEARCH },
	{ "go.mail.ru", SRC_SEARCH },
	{ "godtube", SRC_SOCIAL },
	{ "godtube.com", SRC_SOCIAL },
	{ "goldenline.pl", SRC_SOCIAL },
	{ "goldstar", SRC_SOCIAL },
	{ "goldstar.com", SRC_SOCIAL },
	{ "goo.gl", SRC_SOCIAL },
	{ "gooblog", SRC_SOCIAL },
	{ "goodreads", SRC_SOCIAL },
	{ "goodreads.com", SRC_SOCIAL },
	{ "google", SRC_SEARCH },
	{ "google shopping", SRC_SHOPPING },
	{ "google+", SRC_SOCIAL },
	{ "google-play", SRC_SEARCH },
	{ "google.com", SRC_SEARCH },
	{ "googlegroups.com", SRC_SOCIAL },
	{ "googlemybusiness", SRC_SEARCH },
	{ "googleplus", SRC_SOCIAL },
	{ "govloop", SRC_SOCIAL },
	{ "govloop.com", SRC_SOCIAL },
	{ "gowalla", SRC_SOCIAL },
	{ "gowalla.com", SRC_SOCIAL },
	{ "gree.jp", SRC_SOCIAL },
	{ "groups.google.com", SRC_SOCIAL },
	{ "gulli.com", SRC_SOCIAL },
	{ "gutefrage.net", SRC_SOCIAL },
	{ "habbo", SRC_SOCIAL },
	{ "habbo.com", SRC_SOCIAL },
	{ "hatena", SRC_SOCIAL },
	{ "help.hulu.com", SRC_VIDEO },
	{ "help.netflix.com", SRC_VIDEO },
	{ "hi5", SRC_SOCIAL },
	{ "hi5.com", SRC_SOCIAL },
	{ "hk.search.yahoo.com", SRC_SEARCH },
	{ "hootsuite", SRC_SOCIAL },
	{ "hootsuite.com", SRC_SOCIAL },
	{ "houzz", SRC_SOCIAL },
	{ "houzz.com", SRC_SOCIAL },
	{ "hoverspot", SRC_SOCIAL },
	{ "hoverspot.com", SRC_SOCIAL },
	{ "hr.com", SRC_SOCIAL },
	{ "hu.pinterest.com", SRC_SOCIAL },
	{ "hubculture", SRC_SOCIAL },
	{ "hubculture.com", SRC_SOCIAL },
	{ "hubpages.com", SRC_SOCIAL },
	{ "hulu", SRC_VIDEO },
	{ "hulu.com", SRC_VIDEO },
	{ "hyves.net", SRC_SOCIAL },
	{ "hyves.nl", SRC_SOCIAL },
	{ "ibibo", SRC_SOCIAL },
	{ "ibibo.com", SRC_SOCIAL },
	{ "id.pinterest.com", SRC_SOCIAL },
	{ "id.search.yahoo.com", SRC_SEARCH },
	{ "id.twitch.tv", SRC_VIDEO },
	{ "identi.ca", SRC_SOCIAL },
	{ "ig", SRC_SOCIAL },
	{ "igshopping", SRC_SHOPPING },
	{ "imageshack", SRC_SOCIAL },
	{ "imageshack.com", SRC_SOCIAL },
	{ "imageshack.us", SRC_SOCIAL },
	{ "imvu", SRC_SOCIAL },
	{ "imvu.com", SRC_SOCIAL },
	{ "in.pinterest.com", SRC_SOCIAL },
	{ "in.search.yahoo.com", SRC_SEARCH },
	{ "incredimail", SRC_SEARCH },
	{ "insanejournal", SRC_SOCIAL },
	{ "insanejournal.com", SRC_SOCIAL },
	{ "instagram", SRC_SOCIAL },
	{ "instagram.com", SRC_SOCIAL },
	{ "instapaper", SRC_SOCIAL },
	{ "instapaper.com", SRC_SOCIAL },
	{ "internations.org", SRC_SOCIAL },
	{ "interpals.net", SRC_SOCIAL },
	{ "intherooms", SRC_SOCIAL },
	{ "intherooms.com", SRC_SOCIAL },
	{ "iq.com", SRC_VIDEO },
	{ "iqiyi", SRC_VIDEO },
	{ "iqiyi.com", SRC_VIDEO },
	{ "irc-galleria.net", SRC_SOCIAL },
	{ "is.gd", SRC_SOCIAL },
	{ "it.search.yahoo.com", SRC_SEARCH },
	{ "italki", SRC_SOCIAL },
	{ "italki.com", SRC_SOCIAL },
	{ "jammerdirect", SRC_SOCIAL },
	{ "jammerdirect.com", SRC_SOCIAL },
	{ "jappy.com", SRC_SOCIAL },
	{ "jappy.de", SRC_SOCIAL },
	{ "jobs.netflix.com", SRC_VIDEO },
	{ "justin.tv", SRC_VIDEO },
	{ "kaboodle.com", SRC_SOCIAL },
	{ "kakao", SRC_SOCIAL },
	{ "kakao.com", SRC_SOCIAL },
	{ "kakaocorp.com", SRC_SOCIAL },
	{ "kaneva", SRC_SOCIAL },
	{ "kaneva.com", SRC_SOCIAL },
	{ "kin.naver.com", SRC_SOCIAL },
	{ "kvasir", SRC_SEARCH },
	{ "l.facebook.com", SRC_SOCIAL },
	{ "l.instagram.com", SRC_SOCIAL },
	{ "l.messenger.com", SRC_SOCIAL },
	{ "last.fm", SRC_SOCIAL },
	{ "librarything", SRC_SOCIAL },
	{ "librarything.com", SRC_SOCIAL },
	{ "lifestream.aol.com", SRC_SOCIAL },
	{ "line", SRC_SOCIAL },
	{ "line.me", SRC_SOCIAL },
	{ "linkedin", SRC_SOCIAL },
	{ "linkedin.com", SRC_SOCIAL },
	{ "listal", SRC_SOCIAL },
	{ "listal.com", SRC_SOCIAL },
	{ "listography", SRC_SOCIAL },
	{ "listography.com", SRC_SOCIAL },
	{ "lite.qwant.com", SRC_SEARCH },
	{ "livedoor.com", SRC_SOCIAL },
	{ "livedoorblog", SRC_SOCIAL },
	{ "livejournal", SRC_SOCIAL },
	{ "livejournal.com", SRC_SOCIAL },
	{ "lm.facebook.com", SRC_SOCIAL },
	{ "lnkd.in", SRC_SOCIAL },
	{ "lycos", SRC_SEARCH },
	{ "m.alibaba.com", SRC_SHOPPING },
	{ "m.baidu.com", SRC_SEARCH },
	{ "m.blog.naver.com", SRC_SOCIAL },
	{ "m.cafe.naver.com", SRC_SOCIAL },
	{ "m.facebook.com", SRC_SOCIAL },
	{ "m.kin.naver.com", SRC_SOCIAL },
	{ "m.naver.com", SRC_SEARCH },
	{ "m.search.naver.com", SRC_SEARCH },
	{ "m.shopping.naver.com", SRC_SHOPPING },
	{ "m.sogou.com", SRC_SEARCH },
	{ "m.twitch.tv", SRC_VIDEO },
	{ "m.vk.com", SRC_SOCIAL },
	{ "m.yelp.com", SRC_SOCIAL },
	{ "m.youtube.com", SRC_VIDEO },
	{ "mail.google.com", SRC_SEARCH },
	{ "mail.rambler.ru", SRC_SEARCH },
	{ "mail.yandex.ru", SRC_SEARCH },
	{ "malaysia.search.yahoo.com", SRC_SEARCH },
	{ "mbga.jp", SRC_SOCIAL },
	{ "medium.com", SRC_SOCIAL },
	{ "meetin.org", SRC_SOCIAL },
	{ "meetup", SRC_SOCIAL },
	{ "meetup.com", SRC_SOCIAL },
	{ "meinvz.net", SRC_SOCIAL },
	{ "meneame.net", SRC_SOCIAL },
	{ "menuism.com", SRC_SOCIAL },
	{ "mercadolibre", SRC_SHOPPING },
	{ "mercadolibre.com", SRC_SHOPPING },
	{ "mercadolibre.com.ar", SRC_SHOPPING },
	{ "mercadolibre.com.mx", SRC_SHOPPING },
	{ "message.alibaba.com", SRC_SHOPPING },
	{ "messages.google.com", SRC_SOCIAL },
	{ "messages.yahoo.co.jp", SRC_SOCIAL },
	{ "messenger", SRC_SOCIAL },
	{ "messenger.com", SRC_SOCIAL },
	{ "mix.com", SRC_SOCIAL },
	{ "mixi.jp", SRC_SOCIAL },
	{ "mobile.facebook.com", SRC_SOCIAL },
	{ "mocospace", SRC_SOCIAL },
	{ "mocospace.com", SRC_SOCIAL },
	{ "mouthshut", SRC_SOCIAL },
	{ "mouthshut.com", SRC_SOCIAL },
	{ "movabletype", SRC_SOCIAL },
	{ "movabletype.com", SRC_SOCIAL },
	{ "msearch.shopping.naver.com", SRC_SHOPPING },
	{ "msn", SRC_SEARCH },
	{ "msn.com", SRC_SEARCH },
	{ "mubi", SRC_SOCIAL },
	{ "mubi.com", SRC_SOCIAL },
	{ "music.youtube.com", SRC_VIDEO },
	{ "mx.search.yahoo.com", SRC_SEARCH },
	{ "my.opera.com", SRC_SOCIAL },
	{ "myanimelist.net", SRC_SOCIAL },
	{ "myheritage", SRC_SOCIAL },
	{ "myheritage.com", SRC_SOCIAL },
	{ "mylife", SRC_SOCIAL },
	{ "mylife.com", SRC_SOCIAL },
	{ "mymodernmet", SRC_SOCIAL },
	{ "mymodernmet.com", SRC_SOCIAL },
	{ "myspace", SRC_SOCIAL },
	{ "myspace.com", SRC_SOCIAL },
	{ "najdi", SRC_SEARCH },
	{ "naver", SRC_SEARCH },
	{ "naver.com", SRC_SEARCH },
	{ "netflix", SRC_VIDEO },
	{ "netflix.com", SRC_VIDEO },
	{ "netvibes", SRC_SOCIAL },
	{ "netvibes.com", SRC_SOCIAL },
	{ "news.google.com", SRC_SEARCH },
	{ "news.ycombinator.com", SRC_SOCIAL },
	{ "newsshowcase", SRC_SOCIAL },
	{ "nexopia", SRC_SOCIAL },
	{ "ngopost.org", SRC_SOCIAL },
	{ "niconico", SRC_SOCIAL },
	{ "nicovideo.jp", SRC_SOCIAL },
	{ "nightlifelink", SRC_SOCIAL },
	{ "nightlifelink.com", SRC_SOCIAL },
	{ "ning", SRC_SOCIAL },
	{ "ning.com", SRC_SOCIAL },
	{ "nl.pinterest.com", SRC_SOCIAL },
	{ "nl.search.yahoo.com", SRC_SEARCH },
	{ "nl.shopping.net", SRC_SHOPPING },
	{ "no.search.yahoo.com", SRC_SEARCH },
	{ "no.shopping.net", SRC_SHOPPING },
	{ "ntp.msn.com", SRC_SEARCH },
	{ "nz.search.yahoo.com", SRC_SEARCH },
	{ "odnoklassniki.ru", SRC_SOCIAL },
	{ "odnoklassniki.ua", SRC_SOCIAL },
	{ "offer.alibaba.com", SRC_SHOPPING },
	{ "okwave.jp", SRC_SOCIAL },
	{ "old.reddit.com", SRC_SOCIAL },
	{ "one.walmart.com", SRC_SHOPPING },
	{ "onet", SRC_SEARCH },
	{ "onet.pl", SRC_SEARCH },
	{ "oneworldgroup.org", SRC_SOCIAL },
	{ "onstartups", SRC_SOCIAL },
	{ "onstartups.com", SRC_SOCIAL },
	{ "opendiary", SRC_SOCIAL },
	{ "opendiary.com", SRC_SOCIAL },
	{ "order.shopping.yahoo.co.jp", SRC_SHOPPING },
	{ "oshiete.goo.ne.jp", SRC_SOCIAL },
	{ "out.reddit.com", SRC_SOCIAL },
	{ "over-blog.com", SRC_SOCIAL },
	{ "overblog.com", SRC_SOCIAL },
	{ "paper.li", SRC_SOCIAL },
	{ "partners.shopify.com", SRC_SHOPPING },
	{ "partyflock.nl", SRC_SOCIAL },
	{ "pe.search.yahoo.com", SRC_SEARCH },
	{ "ph.search.yahoo.com", SRC_SEARCH },
	{ "photobucket", SRC_SOCIAL },
	{ "photobucket.com", SRC_SOCIAL },
	{ "pinboard", SRC_SOCIAL },
	{ "pinboard.in", SRC_SOCIAL },
	{ "pingsta", SRC_SOCIAL },
	{ "pingsta.com", SRC_SOCIAL },
	{ "pinterest", SRC_SOCIAL },
	{ "pinterest.at", SRC_SOCIAL },
	{ "pinterest.ca", SRC_SOCIAL },
	{ "pinterest.ch", SRC_SOCIAL },
	{ "pinterest.cl", SRC_SOCIAL },
	{ "pinterest.co.kr", SRC_SOCIAL },
	{ "pinterest.co.uk", SRC_SOCIAL },
	{ "pinterest.com", SRC_SOCIAL },
	{ "pinterest.com.au", SRC_SOCIAL },
	{ "pinterest.com.mx", SRC_SOCIAL },
	{ "pinterest.de", SRC_SOCIAL },
	{ "pinterest.es", SRC_SOCIAL },
	{ "pinterest.fr", SRC_SOCIAL },
	{ "pinterest.it", SRC_SOCIAL },
	{ "pinterest.jp", SRC_SOCIAL },
	{ "pinterest.nz", SRC_SOCIAL },
	{ "pinterest.ph", SRC_SOCIAL },
	{ "pinterest.pt", SRC_SOCIAL },
	{ "pinterest.ru", SRC_SOCIAL },
	{ "pinterest.se", SRC_SOCIAL },
	{ "pixiv.net", SRC_SOCIAL },
	{ "pl.pinterest.com", SRC_SOCIAL },
	{ "pl.search.yahoo.com", SRC_SEARCH },
	{ "playahead.se", SRC_SOCIAL },
	{ "player.twitch.tv", SRC_VIDEO },
	{ "player.vimeo.com", SRC_VIDEO },
	{ "plurk", SRC_SOCIAL },
	{ "plurk.com", SRC_SOCIAL },
	{ "plus.google.com", SRC_SOCIAL },
	{ "plus.url.google.com", SRC_SOCIAL },
	{ "pocket.co", SRC_SOCIAL },
	{ "posterous", SRC_SOCIAL },
	{ "posterous.com", SRC_SOCIAL },
	{ "pro.homeadvisor.com", SRC_SOCIAL },
	{ "pulse.yahoo.com", SRC_SOCIAL },
	{ "qapacity", SRC_SOCIAL },
	{ "qapacity.com", SRC_SOCIAL },
	{ "quechup", SRC_SOCIAL },
	{ "quechup.com", SRC_SOCIAL },
	{ "quora", SRC_SOCIAL },
	{ "quora.com", SRC_SOCIAL },
	{ "qwant", SRC_SEARCH },
	{ "qwant.com", SRC_SEARCH },
	{ "qzone.qq.com", SRC_SOCIAL },
	{ "rakuten", SRC_SEARCH },
	{ "rakuten.co.jp", SRC_SEARCH },
	{ "rambler", SRC_SEARCH },
	{ "rambler.ru", SRC_SEARCH },
	{ "ravelry", SRC_SOCIAL },
	{ "ravelry.com", SRC_SOCIAL },
	{ "reddit", SRC_SOCIAL },
	{ "reddit.com", SRC_SOCIAL },
	{ "redux", SRC_SOCIAL },
	{ "redux.com", SRC_SOCIAL },
	{ "renren", SRC_SOCIAL },
	{ "renren.com", SRC_SOCIAL },
	{ "researchgate.net", SRC_SOCIAL },
	{ "reunion", SRC_SOCIAL },
	{ "reunion.com", SRC_SOCIAL },
	{ "reverbnation", SRC_SOCIAL },
	{ "reverbnation.com", SRC_SOCIAL },
	{ "rtl.de", SRC_SOCIAL },
	{ "ryze", SRC_SOCIAL },
	{ "ryze.com", SRC_SOCIAL },
	{ "s3.amazonaws.com", SRC_SHOPPING },
	{ "salespider", SRC_SOCIAL },
	{ "salespider.com", SRC_SOCIAL },
	{ "scoop.it", SRC_SOCIAL },
	{ "screenrant", SRC_SOCIAL },
	{ "screenrant.com", SRC_SOCIAL },
	{ "scribd", SRC_SOCIAL },
	{ "scribd.com", SRC_SOCIAL },
	{ "scvngr", SRC_SOCIAL },
	{ "scvngr.com", SRC_SOCIAL },
	{ "se.search.yahoo.com", SRC_SEARCH },
	{ "se.shopping.net", SRC_SHOPPING },
	{ "search-results", SRC_SEARCH },
	{ "search.aol.co.uk", SRC_SEARCH },
	{ "search.aol.com", SRC_SEARCH },
	{ "search.google.com", SRC_SEARCH },
	{ "search.smt.docomo.ne.jp", SRC_SEARCH },
	{ "search.ukr.net", SRC_SEARCH },
	{ "secondlife", SRC_SOCIAL },
	{ "secondlife.com", SRC_SOCIAL },
	{ "secureurl.ukr.net", SRC_SEARCH },
	{ "serverfault", SRC_SOCIAL },
	{ "serverfault.com", SRC_SOCIAL },
	{ "seznam", SRC_SEARCH },
	{ "seznam.cz", SRC_SEARCH },
	{ "sg.search.yahoo.com", SRC_SEARCH },
	{ "shareit", SRC_SOCIAL },
	{ "sharethis", SRC_SOCIAL },
	{ "sharethis.com", SRC_SOCIAL },
	{ "shop.app", SRC_SHOPPING },
	{ "shopify", SRC_SHOPPING },
	{ "shopify.com", SRC_SHOPPING },
	{ "shopping.naver.com", SRC_SHOPPING },
	{ "shopping.yahoo.co.jp", SRC_SHOPPING },
	{ "shopping.yahoo.com", SRC_SHOPPING },
	{ "shopzilla", SRC_SHOPPING },
	{ "shopzilla.com", SRC_SHOPPING },
	{ "shvoong.com", SRC_SOCIAL },
	{ "simplycodes.com", SRC_SHOPPING },
	{ "sites.google.com", SRC_SOCIAL },
	{ "skype", SRC_SOCIAL },
	{ "skyrock", SRC_SOCIAL },
	{ "skyrock.com", SRC_SOCIAL },
	{ "slashdot.org", SRC_SOCIAL },
	{ "slideshare.net", SRC_SOCIAL },
	{ "smartnews.com", SRC_SOCIAL },
	{ "snapchat", SRC_SOCIAL },
	{ "snapchat.com", SRC_SOCIAL },
	{ "so.com", SRC_SEARCH },
	{ "sociallife.com.br", SRC_SOCIAL },
	{ "socialvibe", SRC_SOCIAL },
	{ "socialvibe.com", SRC_SOCIAL },
	{ "sogou", SRC_SEARCH },
	{ "sogou.com", SRC_SEARCH },
	{ "sp-web.search.auone.jp", SRC_SEARCH },
	{ "spaces.live.com", SRC_SOCIAL },
	{ "spoke", SRC_SOCIAL },
	{ "spoke.com", SRC_SOCIAL },
	{ "spruz", SRC_SOCIAL },
	{ "spruz.com", SRC_SOCIAL },
	{ "ssense.com", SRC_SOCIAL },
	{ "stackapps", SRC_SOCIAL },
	{ "stackapps.com", SRC_SOCIAL },
	{ "stackexchange", SRC_SOCIAL },
	{ "stackexchange.com", SRC_SOCIAL },
	{ "stackoverflow", SRC_SOCIAL },
	{ "stackoverflow.com", SRC_SOCIAL },
	{ "stardoll.com", SRC_SOCIAL },
	{ "startsiden", SRC_SEARCH },
	{ "startsiden.no", SRC_SEARCH },
	{ "stickam", SRC_SOCIAL },
	{ "stickam.com", SRC_SOCIAL },
	{ "store.shopping.yahoo.co.jp", SRC_SHOPPING },
	{ "stripe", SRC_SHOPPING },
	{ "stripe.com", SRC_SHOPPING },
	{ "studivz.net", SRC_SOCIAL },
	{ "suche.aol.de", SRC_SEARCH },
	{ "suomi24.fi", SRC_SOCIAL },
	{ "superuser", SRC_SOCIAL },
	{ "superuser.com", SRC_SOCIAL },
	{ "sweeva", SRC_SOCIAL },
	{ "sweeva.com", SRC_SOCIAL },
	{ "t.co", SRC_SOCIAL },
	{ "t.me", SRC_SOCIAL },
	{ "tagged", SRC_SOCIAL },
	{ "tagged.com", SRC_SOCIAL },
	{ "taggedmail", SRC_SOCIAL },
	{ "taggedmail.com", SRC_SOCIAL },
	{ "talkbiznow", SRC_SOCIAL },
	{ "talkbiznow.com", SRC_SOCIAL },
	{ "taringa.net", SRC_SOCIAL },
	{ "techmeme", SRC_SOCIAL },
	{ "techmeme.com", SRC_SOCIAL },
	{ "ted", SRC_VIDEO },
	{ "ted.com", SRC_VIDEO },
	{ "tencent", SRC_SOCIAL },
	{ "tencent.com", SRC_SOCIAL },
	{ "terra", SRC_SEARCH },
	{ "th.search.yahoo.com", SRC_SEARCH },
	{ "tiktok", SRC_SOCIAL },
	{ "tiktok.com", SRC_SOCIAL },
	{ "tinyurl", SRC_SOCIAL },
	{ "tinyurl.com", SRC_SOCIAL },
	{ "toolbox", SRC_SOCIAL },
	{ "toolbox.com", SRC_SOCIAL },
	{ "touch.facebook.com", SRC_SOCIAL },
	{ "tr.pinterest.com", SRC_SOCIAL },
	{ "tr.search.yahoo.com", SRC_SEARCH },
	{ "travellerspoint", SRC_SOCIAL },
	{ "travellerspoint.com", SRC_SOCIAL },
	{ "tripadvisor", SRC_SOCIAL },
	{ "tripadvisor.com", SRC_SOCIAL },
	{ "trombi", SRC_SOCIAL },
	{ "trombi.com", SRC_SOCIAL },
	{ "tudou", SRC_SOCIAL },
	{ "tudou.com", SRC_SOCIAL },
	{ "tuenti", SRC_SOCIAL },
	{ "tuenti.com", SRC_SOCIAL },
	{ "tumblr", SRC_SOCIAL },
	{ "tumblr.com", SRC_SOCIAL },
	{ "tut.by", SRC_SEARCH },
	{ "tw.search.yahoo.com", SRC_SEARCH },
	{ "tweetdeck", SRC_SOCIAL },
	{ "tweetdeck.com", SRC_SOCIAL },
	{ "twitch", SRC_VIDEO },
	{ "twitch.tv", SRC_VIDEO },
	{ "twitter", SRC_SOCIAL },
	{ "twitter.com", SRC_SOCIAL },
	{ "twoo.com", SRC_SOCIAL },
	{ "typepad", SRC_SOCIAL },
	{ "typepad.com", SRC_SOCIAL },
	{ "uk.search.yahoo.com", SRC_SEARCH },
	{ "uk.shopping.net", SRC_SHOPPING },
	{ "ukr", SRC_SEARCH },
	{ "unblog.fr", SRC_SOCIAL },
	{ "urbanspoon.com", SRC_SOCIAL },
	{ "us.search.yahoo.com", SRC_SEARCH },
	{ "ushareit.com", SRC_SOCIAL },
	{ "ushi.cn", SRC_SOCIAL },
	{ "utreon", SRC_VIDEO },
	{ "utreon.com", SRC_VIDEO },
	{ "vampirefreaks", SRC_SOCIAL },
	{ "vampirefreaks.com", SRC_SOCIAL },
	{ "vampirerave", SRC_SOCIAL },
	{ "vampirerave.com", SRC_SOCIAL },
	{ "veoh", SRC_VIDEO },
	{ "veoh.com", SRC_VIDEO },
	{ "vg.no", SRC_SOCIAL },
	{ "viadeo.journaldunet.com", SRC_VIDEO },
	{ "video.ibm.com", SRC_SOCIAL },
	{ "vimeo", SRC_VIDEO },
	{ "vimeo.com", SRC_VIDEO },
	{ "virgilio", SRC_SEARCH },
	{ "vk.com", SRC_SOCIAL },
	{ "vkontakte.ru", SRC_SOCIAL },
	{ "vn.search.yahoo.com", SRC_SEARCH },
	{ "wakoopa", SRC_SOCIAL },
	{ "wakoopa.com", SRC_SOCIAL },
	{ "walmart", SRC_SHOPPING },
	{ "walmart.com", SRC_SHOPPING },
	{ "wap.sogou.com", SRC_SEARCH },
	{ "wattpad", SRC_SOCIAL },
	{ "wattpad.com", SRC_SOCIAL },
	{ "web.facebook.com", SRC_SOCIAL },
	{ "web.skype.com", SRC_SOCIAL },
	{ "webmaster.yandex.ru", SRC_SEARCH },
	{ "websearch.rakuten.co.jp", SRC_SEARCH },
	{ "webshots", SRC_SOCIAL },
	{ "webshots.com", SRC_SOCIAL },
	{ "wechat", SRC_SOCIAL },
	{ "wechat.com", SRC_SOCIAL },
	{ "weebly", SRC_SOCIAL },
	{ "weebly.com", SRC_SOCIAL },
	{ "weibo", SRC_SOCIAL },
	{ "weibo.com", SRC_SOCIAL },
	{ "wer-weiss-was.de", SRC_SOCIAL },
	{ "weread", SRC_SOCIAL },
	{ "weread.com", SRC_SOCIAL },
	{ "whatsapp", SRC_SOCIAL },
	{ "whatsapp.com", SRC_SOCIAL },
	{ "wiki.answers.com", SRC_SOCIAL },
	{ "wikihow.com", SRC_SOCIAL },
	{ "wikitravel.org", SRC_SOCIAL },
	{ "wistia", SRC_VIDEO },
	{ "wistia.com", SRC_VIDEO },
	{ "woot.com", SRC_SOCIAL },
	{ "wordpress", SRC_SOCIAL },
	{ "wordpress.com", SRC_SOCIAL },
	{ "wordpress.org", SRC_SOCIAL },
	{ "xanga", SRC_SOCIAL },
	{ "xanga.com", SRC_SOCIAL },
	{ "xing", SRC_SOCIAL },
	{ "xing.com", SRC_SOCIAL },
	{ "yahoo", SRC_SEARCH },
	{ "yahoo-mbga.jp", SRC_SOCIAL },
	{ "yahoo.co.jp", SRC_SEARCH },
	{ "yahoo.com", SRC_SEARCH },
	{ "yammer", SRC_SOCIAL },
	{ "yammer.com", SRC_SOCIAL },
	{ "yandex", SRC_SEARCH },
	{ "yandex.by", SRC_SEARCH },
	{ "yandex.com", SRC_SEARCH },
	{ "yandex.com.tr", SRC_SEARCH },
	{ "yandex.fr", SRC_SEARCH },
	{ "yandex.kz", SRC_SEARCH },
	{ "yandex.ru", SRC_SEARCH },
	{ "yandex.ua", SRC_SEARCH },
	{ "yandex.uz", SRC_SEARCH },
	{ "yelp", SRC_SOCIAL },
	{ "yelp.co.uk", SRC_SOCIAL },
	{ "yelp.com", SRC_SOCIAL },
	{ "youku", SRC_VIDEO },
	{ "youku.com", SRC_VIDEO },
	{ "youroom.in", SRC_SOCIAL },
	{ "youtube", SRC_VIDEO },
	{ "youtube.com", SRC_VIDEO },
	{ "za.pinterest.com", SRC_SOCIAL },
	{ "zalo", SRC_SOCIAL },
	{ "zen.yandex.ru", SRC_SEARCH },
	{ "zoo.gr", SRC_SOCIAL },
	{ "zooppa", SRC_SOCIAL },
	{ "zooppa.com", SRC_SOCIAL },
};

/* The canonical channels, GA4's spelling. */
#define CH_DIRECT	"Direct"
#define CH_CROSS	"Cross-network"
#define CH_PSHOP	"Paid Shopping"
#define CH_PSEARCH	"Paid Search"
#define CH_PSOCIAL	"Paid Social"
#define CH_PVIDEO	"Paid Video"
#define CH_DISPLAY	"Display"
#define CH_POTHER	"Paid Other"
#define CH_OSHOP	"Organic Shopping"
#define CH_OSOCIAL	"Organic Social"
#define CH_OVIDEO	"Organic Video"
#define CH_OSEARCH	"Organic Search"
#define CH_REFERRAL	"Referral"
#define CH_EMAIL	"Email"
#define CH_AFFILIATES	"Affiliates"
#define CH_AUDIO	"Audio"
#define CH_SMS		"SMS"
#define CH_PUSH		"Mobile Push Notifications"
#define CH_UNASSIGNED	"Unassigned"

/*
 * Names a platform may write for a channel, compared without case: GA4's
 * own, Universal Analytics' older ones, and Google Ads' campaign types as
 * GA4 files their clicks (a Performance Max, Demand Gen or Smart campaign
 * runs on several networks: Cross-network).
 */
static const struct {
	const char *alias;
	const char *name;
} names[] = {
	{ "(not set)", CH_UNASSIGNED },
	{ "Affiliate", CH_AFFILIATES },
	{ "Affiliates", CH_AFFILIATES },
	{ "App", CH_CROSS },
	{ "Audio", CH_AUDIO },
	{ "Cross network", CH_CROSS },
	{ "Cross-network", CH_CROSS },
	{ "Demand Gen", CH_CROSS },
	{ "Direct", CH_DIRECT },
	{ "Discovery", CH_CROSS },
	{ "Display", CH_DISPLAY },
	{ "E-mail", CH_EMAIL },
	{ "Email", CH_EMAIL },
	{ "Local", CH_CROSS },
	{ "Mobile Push Notifications", CH_PUSH },
	{ "Organic Search", CH_OSEARCH },
	{ "Organic Shopping", CH_OSHOP },
	{ "Organic Social", CH_OSOCIAL },
	{ "Organic Video", CH_OVIDEO },
	{ "Other Advertising", CH_POTHER },
	{ "Paid Other", CH_POTHER },
	{ "Paid Search", CH_PSEARCH },
	{ "Paid Shopping", CH_PSHOP },
	{ "Paid Social", CH_PSOCIAL },
	{ "Paid Video", CH_PVIDEO },
	{ "Performance Max", CH_CROSS },
	{ "Push", CH_PUSH },
	{ "Referral", CH_REFERRAL },
	{ "SMS", CH_SMS },
	{ "Search", CH_PSEARCH },
	{ "Shopping", CH_PSHOP },
	{ "Smart", CH_CROSS },
	{ "Social", CH_OSOCIAL },
	{ "Unassigned", CH_UNASSIGNED },
	{ "Video", CH_PVIDEO },
};

/* s[0..len) equals the NUL-terminated word w, without regard to case. */
static int
is(const char *s, size_t len, const char *w)
{
	return strlen(w) == len && strncasecmp(s, w, len) == 0;
}

/* s[0..len) holds w, without regard to case; at is where, or NULL. */
static const char *
holds(const char *s, size_t len, const char *w)
{
	size_t wl = strlen(w), i;

	for (i = 0; wl <= len && i <= len - wl; i++)
		if (strncasecmp(s + i, w, wl) == 0)
			return s + i;
	return NULL;
}

/* s[0..len) is one of the words of list, ended by NULL. */
static int
one_of(const char *s, size_t len, const char *const *list)
{
	for (; *list; list++)
		if (is(s, len, *list))
			return 1;
	return 0;
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Compares s[0..len), lower-cased, with the table's w, bytewise. */
static int
cmp_lower(const char *s, size_t len, const char *w)
{
	size_t i;
	int c;

	for (i = 0; i < len && w[i] != '\0'; i++)
		if ((c = (unsigned char)lower(s[i]) - (unsigned char)w[i]) != 0)
			return c;
	return i < len ? 1 : w[i] != '\0' ? -1 : 0;
}

static enum srccat
category(const char *s, size_t len)
{
	size_t lo = 0, hi = sizeof(sources) / sizeof(sources[0]), mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = cmp_lower(s, len, sources[mid].name)) == 0)
			return sources[mid].cat;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return SRC_NONE;
}

/* ^(.*cp.*|ppc|retargeting|paid.*)$: a medium of paid clicks. */
static int
paid(const char *m, size_t len)
{
	return holds(m, len, "cp") || is(m, len, "ppc") ||
	    is(m, len, "retargeting") ||
	    (len >= 4 && strncasecmp(m, "paid", 4) == 0);
}

/*
 * ^(.*(([^a-df-z]|^)shop|shopping).*)$: a campaign of shopping, "shop" at
 * the start or after anything but a letter other than e ("eshop").
 */
static int
shop_campaign(const char *c, size_t len)
{
	const char *p = c;
	size_t left = len;
	int before;

	if (holds(c, len, "shopping"))
		return 1;
	while ((p = holds(p, left, "shop")) != NULL) {
		before = p == c ? -1 : lower(p[-1]);
		if (before < 0 || before == 'e' || before < 'a' || before > 'z')
			return 1;
		p++;
		left = len - (size_t)(p - c);
	}
	return 0;
}

static const char *const email_words[] = {
	"email", "e-mail", "e_mail", "e mail", NULL
};

const char *
kpi_channel_name(const char *s, size_t len)
{
	size_t i;

	while (len > 0 && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (is(s, len, names[i].alias))
			return names[i].name;
	return NULL;
}

/* The paid channels, by the source's category (after Cross-network). */
static const char *
paid_channel(enum srccat cat, const char *c, size_t clen)
{
	if (cat == SRC_SHOPPING || shop_campaign(c, clen))
		return CH_PSHOP;
	if (cat == SRC_SEARCH)
		return CH_PSEARCH;
	if (cat == SRC_SOCIAL)
		return CH_PSOCIAL;
	if (cat == SRC_VIDEO)
		return CH_PVIDEO;
	return NULL;
}

/* The unpaid channels from Organic Shopping down to Organic Search. */
static const char *
organic_channel(enum srccat cat, const char *m, size_t mlen, const char *c,
    size_t clen)
{
	static const char *const social[] = {
		"social", "social-network", "social-media", "sm",
		"social network", "social media", NULL
	};

	if (cat == SRC_SHOPPING || shop_campaign(c, clen))
		return CH_OSHOP;
	if (cat == SRC_SOCIAL || one_of(m, mlen, social))
		return CH_OSOCIAL;
	if (cat == SRC_VIDEO || holds(m, mlen, "video"))
		return CH_OVIDEO;
	if (cat == SRC_SEARCH || is(m, mlen, "organic"))
		return CH_OSEARCH;
	return NULL;
}

const char *
kpi_channel_rules(const char *s, size_t slen, const char *m, size_t mlen,
    const char *c, size_t clen)
{
	static const char *const display[] = {
		"display", "banner", "expandable", "interstitial", "cpm", NULL
	};
	static const char *const referral[] = { "referral", "app", "link", NULL };
	enum srccat cat = category(s, slen);
	const char *ch;

	if (is(s, slen, "(direct)") &&
	    (is(m, mlen, "(not set)") || is(m, mlen, "(none)")))
		return CH_DIRECT;
	if (holds(c, clen, "cross-network"))
		return CH_CROSS;
	if (paid(m, mlen) && (ch = paid_channel(cat, c, clen)) != NULL)
		return ch;
	if (one_of(m, mlen, display))
		return CH_DISPLAY;
	if (paid(m, mlen))
		return CH_POTHER;
	if ((ch = organic_channel(cat, m, mlen, c, clen)) != NULL)
		return ch;
	if (one_of(m, mlen, referral))
		return CH_REFERRAL;
	if (one_of(s, slen, email_words) || one_of(m, mlen, email_words))
		return CH_EMAIL;
	if (is(m, mlen, "affiliate"))
		return CH_AFFILIATES;
	if (is(m, mlen, "audio"))
		return CH_AUDIO;
	if (is(s, slen, "sms") || is(m, mlen, "sms"))
		return CH_SMS;
	if ((mlen >= 4 && strncasecmp(m + mlen - 4, "push", 4) == 0) ||
	    holds(m, mlen, "mobile") || holds(m, mlen, "notification") ||
	    is(s, slen, "firebase"))
		return CH_PUSH;
	return CH_UNASSIGNED;
}

static int
word_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

/*
 * The value after key at p (one past the key) in text ending at end:
 * "key: value" up to the line's end, "\"key\":\"value\"" up to the quote,
 * "key=value" up to '&'.  0 with *val and *vlen set, -1 when p is not
 * followed by a separator.
 */
static int
utm_value(const char *p, const char *end, const char **val, size_t *vlen)
{
	const char *v;
	int quoted = 0;

	if (p < end && *p == '"')
		p++;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end || (*p != ':' && *p != '='))
		return -1;
	for (p++; p < end && (*p == ' ' || *p == '\t'); p++)
		;
	if (p < end && *p == '"')
		quoted = 1, p++;
	for (v = p; p < end && *p != '\n' && *p != '\r' &&
	    (quoted ? *p != '"' : *p != '&' && *p != ','); p++)
		;
	while (p > v && (p[-1] == ' ' || p[-1] == '\t'))
		p--;
	*val = v;
	*vlen = (size_t)(p - v);
	return 0;
}

int
kpi_channel_utm(const char *text, size_t len, const char *key,
    const char **val, size_t *vlen)
{
	const char *p = text, *end = text + len;
	size_t klen = strlen(key);

	while ((p = holds(p, (size_t)(end - p), key)) != NULL) {
		if ((p == text || !word_char((unsigned char)p[-1])) &&
		    (p + klen == end || !word_char((unsigned char)p[klen])) &&
		    utm_value(p + klen, end, val, vlen) == 0 && *vlen > 0)
			return 0;
		p += klen;
	}
	return -1;
}
