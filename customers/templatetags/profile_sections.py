from django import template
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag(takes_context=True)
def profile_section(context, section) -> SafeString:
    """Draw one registered section of the profile page.

    Its template reads its context function's dict as `context` (a name an
    `{% include … with %}` cannot bind), each key also as `section.<key>`,
    and the page's own variables such as `profile`.
    """
    section_template = context.template.engine.get_template(section["template"])
    values = {
        "section": {**section["context"], **section},
        "context": section["context"],
    }
    with context.push(values):
        return section_template.render(context)
