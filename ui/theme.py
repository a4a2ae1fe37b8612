"""Design tokens in one place: colours (WCAG AA contrast on white) and spacing classes."""

PRIMARY = '#1d4f91'  # contrast 8.3:1 on white
SECONDARY = '#36597a'
ACCENT = '#9a3412'
POSITIVE = '#166534'
NEGATIVE = '#b91c1c'

PAGE = 'w-full max-w-5xl mx-auto px-4 py-6 gap-4'
CARD = 'w-full p-4 gap-3'
FORM = 'w-full max-w-md gap-3'
MUTED = 'text-sm text-slate-600'
