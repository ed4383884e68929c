"""The monthly random inspection (双随机): the ``inspection:`` section and its extension, the
draw, who may inspect a case (eligibility), the matching of cases to inspectors, rectification
and the notification report."""
