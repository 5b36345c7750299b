"""The coordination centre's public pages (ศูนย์ประสานงาน): the staff registry (ทะเบียน ทถอ.),
toolkits and knowledge links, the about page and the FAQ.

They share the workload app's models and URL namespace (``workload:registry``, ``workload:faq``, …)
but none of the yearly workload's rules: views in ``views``, forms in ``forms``, the registry's
spreadsheet in ``registry_file`` and the routes in ``urls``.
"""
