"""Evaluation by the people served (民主评议, 满意度测评, 软环境评价) and typical cases."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "xiaoneng.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation")
