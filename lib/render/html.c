#include "render/room.h"
static void end_html(struct kpi_render *r) { (void)r; }
const struct render_ops kpi_render_html = {
	"html", 0, NULL, NULL, end_html, NULL
};
