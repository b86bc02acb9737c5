from django.contrib import admin, messages

from .domain.calls import copy_call
from .models import Call, TierRule, TopicArea


class TierRuleInline(admin.StackedInline):
    model = TierRule
    extra = 0


class TopicAreaInline(admin.StackedInline):
    model = TopicArea
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "completion_date", "is_open"]
    inlines = [TierRuleInline, TopicAreaInline]
    actions = ["copy_to_next_year"]

    @admin.action(description="复制为下一年度通知（日期顺延一年）")
    def copy_to_next_year(self, request, queryset):
        for call in queryset:
            try:
                new = copy_call(call, call.year + 1, request.user)
                self.message_user(request, f"已创建 {new}", messages.SUCCESS)
            except ValueError as problem:
                self.message_user(request, str(problem), messages.ERROR)
