app_name = "results"

# The public pages (rounds, result tables, details) are added here.
urlpatterns: list = []
